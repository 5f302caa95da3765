import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { needsReferent, paraphraseReasons, readable, spokenResidue } from './readable.ts';

// Sentences as the drafter wrote them from ACI-Bench train visits before decision 0190.
const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

describe('readable sentences (decision 0190)', () => {
  it('repairs a comma the speaker paused at', () => {
    expect(readable('Order, prednisone taper pack.', find)).toBe('Order prednisone taper pack.');
    expect(readable('He had the, knee surgery.', find)).toBe('He had the knee surgery.');
    expect(readable('The, abdominal x-rays show a possible kidney stone.', find)).toBe(
      'The abdominal x-rays show a possible kidney stone.',
    );
    // A comma that ends a phrase stays.
    expect(readable('The patient states that, prior to 2 months ago, his bowel movements were normal.', find)).toBe(
      'The patient states that, prior to 2 months ago, his bowel movements were normal.',
    );
  });

  it('drops the reported-speech frame around the patient’s own statement', () => {
    expect(readable('She said she, she said she found a lump right here under her left breast.', find)).toBe(
      'She found a lump right here under her left breast.',
    );
    // "reports" is note style and is kept.
    expect(readable('She reports that she has been going to therapy every week.', find)).toBe(
      'She reports that she has been going to therapy every week.',
    );
  });

  it('removes a leading conjunction when a full sentence follows, and leaves out what needs the clause before it', () => {
    expect(readable('Because she has been stressed over the last week.', find)).toBe('She has been stressed over the last week.');
    expect(readable('Because of their history of having kidney stones.', find)).toBeNull();
    expect(readable('Because, if it was cancer.', find)).toBeNull();
    expect(readable('Lower than it has in the past.', find)).toBeNull();
    expect(readable('Other than during the heat and the pollen, it has been good.', find)).toBeNull();
  });

  it('leaves out "That is ..." pointing at speech the note does not hold, unless it states a clinical fact', () => {
    expect(readable('That is going to be hard with the move.', find)).toBeNull();
    expect(readable('That is also stable from last year.', find)).toBeNull();
    expect(readable('That could be either fluid or blood from the injury that the patient had.', find)).toBe(
      'That could be either fluid or blood from the injury that the patient had.',
    );
  });

  it('leaves out verbless spoken fragments and keeps note labels, imperatives and clinical fragments', () => {
    for (const s of ['Running and jogging.', 'Hopefully by that time.', 'There for a couple of weeks.'])
      expect(readable(s, find), s).toBeNull();
    for (const s of [
      'Constitutional: Slightly decreased appetite.',
      'Swelling on the inside of that right knee.',
      'Bring them into the office.',
      'Here in the office, his vital signs look good.',
      'Neck: No jugular venous distention or carotid bruits appreciated.',
      'Little bit of pain on flexion.',
    ])
      expect(readable(s, find), s).toBe(s);
  });

  // Sentences the drafter wrote from ACI-Bench train/valid visits before decision 0201 (the turn each came from in the
  // comment), and sentences of the clinicians' own notes that must not be taken for paraphrased speech.
  // [as drafted, as repaired]
  const repaired: Array<[string, string]> = [
    // D2N003 "i have some body aches because i think i'm ... i'm favoring , um , my back ..."
    ['He has some body aches because he is.', 'He has some body aches.'],
    // D2N023 "... patient's other area of concern is gynecomastia which is ..."
    ['Patient’s other area of concern is gynecomastia which is.', 'Patient’s other area of concern is gynecomastia.'],
    ['For about the last 48 hours, it has been a constant, it is.', 'For about the last 48 hours, it has been a constant.'],
    [
      'The patient is also going to send a lyme titer as well as a western blot to see.',
      'The patient is also going to send a lyme titer as well as a western blot.',
    ],
    ['Musculoskeletal: There is no tenderness as she.', 'Musculoskeletal: There is no tenderness.'],
    ['Warm to touch that is.', 'Warm to touch.'],
    // D2N043 "i'm doing really good i'm here i'm just ready to quit smoking"
    ['The patient is here the patient is ready to quit smoking.', 'The patient is here. The patient is ready to quit smoking.'],
    // D2N039 "most of the days i feel fine i'm still busy at work"
    ['The patient feels fine the patient is still busy at work.', 'The patient feels fine. The patient is still busy at work.'],
    // D2N006 "so the joint pain is , has been going away" (the stutter comma repaired first, then the doubled verb)
    ['The joint pain is has been going away.', 'The joint pain has been going away.'],
    ['The joint pain is, has been going away.', 'The joint pain has been going away.'],
    // D2N071 "... moved her into her dorm , so little stressful , little chaotic , in the heat of the summer"
    [
      'He reports little stressful, little chaotic, in the heat of the summer.',
      'He reports it has been a little stressful and a little chaotic in the heat of the summer.',
    ],
    // A sentence-opening time word is not the end of a clause.
    [
      'Yesterday the patient was going to take out the trash and it was quite icy.',
      'Yesterday the patient was going to take out the trash and it was quite icy.',
    ],
  ];

  it('cuts a dangling tail, parts sentences run into one, says a doubled verb once, gives an adjective report its subject', () => {
    for (const [drafted, written] of repaired) expect(readable(drafted, find), drafted).toBe(written);
  });

  it('leaves out a dangling sentence no cut repairs and a report of nothing', () => {
    for (const s of [
      // D2N026 "well , right now the hand is ." / D2N047 "he said everything was"
      'The hand is.',
      'He said everything was.',
      'Advised to make sure that the patient is.',
      // D2N021 "so , your screen for diabetes is ... was fine" (cut at the pause); D2N048 "... your left leg before is
      // that what i'm hearing": a clinical word does not keep a sentence that states nothing.
      'Her screen for diabetes is.',
      "The patient's left leg before is.",
      // D2N002 "what have you taken for the pain?" answered with a drug the answer path did not read
      'He reports for the pain.',
      'She reports in general.',
    ])
      expect(readable(s, find), s).toBeNull();
  });

  it('does not take the clinicians’ own written sentences for paraphrased speech', () => {
    for (const s of [
      'This is just a screening colonoscopy that she is overdue for.',
      'The patient is not able to say whether she had heartburn as she has never experienced heartburn before and is unsure what it feels like.',
      'Patient likes to travel and is planning a trip to Columbus, Georgia in the next month or so.',
      'The patient endorses that recently he has been bumping into door frames, but no obvious problems with his balance or vision.',
      'Constitutional: Reports general ill feelings.',
      'The patient might even keep a log of what their blood pressures are.',
      'Nothing seemed to help, though.',
      'He has not hurt himself in quite a while.',
    ])
      expect(paraphraseReasons(s), s).toEqual([]);
  });

  it('knows which openings need a sentence before them', () => {
    expect(needsReferent('It is still sore.')).toBe(true);
    expect(needsReferent('This was about 5 days ago.')).toBe(true);
    expect(needsReferent('This is an x-ray of his lumbar spine.')).toBe(false);
    expect(needsReferent('It is recommended that he continue to take his statin as prescribed.')).toBe(false);
    expect(needsReferent('He has been staying on top of the meds.')).toBe(false);
  });
});

describe('spoken residue (decision 0178): left out whatever clinical words it names', () => {
  it('leaves out sentences the drafter wrote from train and valid speech that no written note has', () => {
    for (const said of [
      "She's a new patient with a referral from the of esophagitis.",
      'Went to the for some chest discomfort.',
      'Refer to for physical therapy to help strengthen some of the muscles in lower back.',
      'Since the patient is in how about their blood pressure how is it doing.',
      'How does that sound.',
      'The patient does not think so when will all this take place.',
      'No because it does not last that long.',
      'No it is do not line dancing is like dancing in theories of fairly fast moves.',
      'Regarding medications in the: No. they ran an ekg and did blood tests, but everything was normal.',
      'Could be very well have contributed to her condition.',
      'Probably be doing a lot of walking.',
      'Any pain.',
      'She denies since then.',
      'There and they got some line dances planned.',
      'The patient has some arthritis in.',
      'Stress from this could be.',
      'Anything the patient has done to help relieve or alleviate that pain any anything that is giving the patient relief.',
      'Advised to turn the wrist as if the patient is turning a door knob.',
      'Perform a focused exam on that right elbow.',
      'See how the patient is doing.',
      'The patient is not going to like this part.',
      'Wrap it the patient would not be able to keep track of it so no pain.',
      'The patient does have pain the patient was positive for pain when the patient pronates that forearm.',
      'Going to take a listen here.',
      'Discussed watching.',
      'There does that sound good.',
      // pocketsphinx heard "she has had" as "show and has had" in an e2e visit
      'Show and has had headache for 3 days.',
      'There is the mass on the where to go here.',
      'Swollen for seven days ago.',
      "The patient's knee did not.",
      'Flex it that the patient has a full range of motion.',
      'Advised to back up here in the stretcher more.',
      'Order scheduled for the echocardiogram.',
      'Heart: Going to take a listen here.',
      'Order discharged.',
      'Perform it.',
      'How diabetes.',
      'The patient has been eating anything.',
    ]) {
      expect(readable(said, find), said).toBeNull();
    }
  });

  it('repairs a leading "No" when the rest says the no itself', () => {
    expect(readable('No the patient did not get the booster.', find)).toBe('The patient did not get the booster.');
    expect(readable('No, he does not.', find)).toBeNull();
    expect(readable('It is it stays mostly at the elbow.', find)).toBe('It stays mostly at the elbow.');
    expect(readable('The patient is still on that medication is that correct.', find)).toBe('The patient is still on that medication.');
    expect(readable('Follow up in a week or so and hopefully.', find)).toBe('Follow up in a week or so.');
    expect(readable('What that means is that it looks like he might be retaining fluid.', find)).toBe(
      'It looks like he might be retaining fluid.',
    );
    expect(readable('Looking at he does not appear in any distress.', find)).toBe('He does not appear in any distress.');
    expect(readable('The patient currently there is a negative varus and valgus stress test.', find)).toBe(
      'There is a negative varus and valgus stress test.',
    );
    expect(readable('Advised to back here in 3 months or sooner if it gets significantly worse.', find)).toBe(
      'Follow up in 3 months or sooner if it gets significantly worse.',
    );
    expect(readable('The patient has may have a medial collateral ligament strain.', find)).toBe(
      'The patient may have a medial collateral ligament strain.',
    );
    expect(readable('In the result section, note that her ecog performance status today is zero.', find)).toBe(
      'Her ecog performance status today is zero.',
    );
    expect(readable('David so the patient was in the emergency department hopefully.', find)).toBe(
      'The patient was in the emergency department.',
    );
  });

  it('does not take the reference notes’ own sentences for residue', () => {
    for (const written of [
      'The patient endorses that recently he has been bumping into door frames, but no obvious problems with his balance or vision.',
      'He states the pain is primarily located in the left shoulder and denies it radiates down into the left arm.',
      'The patient did the review of systems sheet when he checked in.',
      'She did a chest x-ray before coming in.',
      'No evidence of fracture or bony abnormality.',
      'Will follow up in 2 weeks.',
      'Perform an EGD to look at the esophagus and stomach.',
      'Advised to rest and ice the elbow.',
      'It was the worst pain he has ever felt in his life.',
      'Her lungs sound good.',
      'Order fasting lipid panel.',
      'Perform an x-ray of the right knee.',
      'The patient has not been eating anything since yesterday.',
      'He got up and held his arm down, thinking it would help the circulation, but it did not.',
      'She gets seasonal allergies but everything else has been okay.',
      'The patient was called in for a follow up with me for chronic congestive heart failure with diastolic dysfunction.',
    ]) {
      expect(spokenResidue(written), written).toEqual([]);
    }
  });
});
