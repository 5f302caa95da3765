import type { DraftSentence } from '../../contract/index.ts';
import { capitalize, numbersIn, studyAcronyms, wordTokens } from '../text.ts';
import type { Utterance } from '../utterances.ts';
import {
  answeredQuestion,
  answerPolarity,
  deniedFindings,
  pertinentFinding,
  questionFinding,
  restDenied,
  questionTopic,
  statedNegative,
} from './negation.ts';
import { cleanSpoken, otherToNoteStyle, patientToThirdPerson, unlabelledToNoteStyle, type PatientReference } from './note-style.ts';
import { namedTerms, salvageFacts, type TermFinder } from './salvage.ts';
import {
  alsoDenied,
  answeredFinding,
  confirmedStatement,
  deniedStatement,
  familyHistoryUnknown,
  recalledNone,
  reportedWithout,
} from './answers.ts';
import { needsReferent, readable } from './readable.ts';
import { clinicianVoice, findingVoice, planVoice, reportedFragment, written } from './voice.ts';

/**
 * The note sentences one utterance yields, in clinical voice, each citing the turns it came from. Questions without a
 * yes/no answer, greetings and small talk, and sentences that still read as speech after rewriting yield nothing.
 */

const CHATTER =
  /^(i am dr|i'm dr|i am doctor|i'm doctor|my name is|nice to meet|how are you|nice to (meet|see) you|thank you|thanks|good morning|good afternoon|good evening|hi|hello|hey|bye|goodbye|have a (good|great|nice)|take care|you too|see you|sounds good|that sounds|that's great|that's good|i'm good|i'm fine|i'm doing (okay|ok|well|good|fine)|doing (well|good|okay)|of course|no problem|you're welcome|my pleasure|excuse me|sorry|oh my|wow|yeah|yes|okay|ok|alright|all right|sure|mm-hmm|uh-huh)\b[\s,.!]*$|^(i am dr|i'm dr|my name is|nice to meet|thank you|thanks|good morning|good afternoon|hello|hi there|bye|goodbye|have a (good|great|nice)|take care)\b/i;

/** A problem lead at the start of a plan sentence ("for your diabetes, i'm going to ...") and the sentence after it. */
const LEAD_THEN =
  /^(?:so,? |and,? |now,? |okay,? |alright,? |next,? |then,? |lastly,? |finally,? |also,? |first,? |secondly,? |second,? |thirdly,? )*(?:for|regarding|in terms of|as far as|as for|with regards? to|moving on to|from an?|from the|in regards? to)\s+(?!(?:(?:his|her|their|your|the)\s+)?(?:past\s+)?(?:medical|surgical|social|family)\s+history\b)(?:(?:his|her|their|your|the)\s+)?(?:(?:first|second|third|fourth|fifth|next|last|final|other)\s+)?(?:problem|issue|concern)?,?\s*(?:of\s+|is\s+)?(?:(?:his|her|their|your|the)\s+)?[a-z][a-z0-9' -]{2,50}?(?:\s+(?:standpoint|wise|perspective|is concerned|goes))?(?:[,:]\s+|\s+(?=(?:i|we|i'm|we're|i'll|we'll|i'd|we'd|let's|let us)\s|my (?:concern|impression|assessment|diagnosis) is\s|(?:your|the) symptoms (?:are|seem)\s))(.{8,})$/i;

/** The sentence without its problem lead ("for your diabetes, increase metformin" -> "increase metformin"). */
export function withoutProblemLead(sentence: string): string {
  const m = LEAD_THEN.exec(cleanSpoken(sentence));
  return m && m[1] ? m[1] : sentence;
}

/** Words that open a new clause in speech without punctuation (a subject, or a discourse marker). */
const CLAUSE_SUBJECT = /^(?:i|we|i'm|we're|i'll|we'll|i've|we've|i'd|we'd|let's|you|you're|you've|she|he|she's|he's|it's|there|there's)$/i;
const DISCOURSE = /^(?:okay|ok|alright|now|so|which|anyway|um|uh)$/i;
const CONJUNCTION = /^(?:and|but|because|cause|then|also)$/i;
/** Words after which a subject or "your" continues the clause ("want you to", "continue you on", "that i see"). */
const BINDS_NEXT =
  /^(?:on|in|of|to|for|at|with|from|about|into|onto|by|over|under|than|as|that|what|if|when|how|whether|where|who|whom|why|while|since|until|unless|want|wants|wanted|give|gives|tell|told|see|seen|saw|let|lets|help|make|made|get|got|have|has|had|ask|asked|put|send|sent|refer|continue|keep|take|bring|show|call|start|switch|move|remind|need|needs|like|would|'d|will|can|could|should|do|does|did|are|is|was|were|and|but|or|so|because|just|think|know|believe|guess|mean|hope|said|say|says|sure|glad|if|even|or|nor|not|all|both|thank|thanks|hear|heard|appreciate|feel|felt|watch|follow|check|examine|touch|squeeze|push|pull|lift|bend|raise|twist|turn|walk|for|condition|something|prescribe|prescribing|recommend|suggest|encourage|advise|schedule|treat|place)$/i;
/** A clause about a body part or finding said with "your" ("your lungs are clear"). */
const YOUR_CLAUSE =
  /^(?:your|her|his|their)(?:\s+\S+){1,3}?\s+(?:is|are|was|were|has|have|looks?|sounds?|seems?|appears?|feels?|shows?|showed|came)\b|^(?:your|her|his|their)(?:\s+\S+){0,2}?\s+(?:today|now)'s\s/i;
/** A problem lead that opens the plan said after it ("... over ninety for her high blood pressure we will start ..."). */
const PROBLEM_LEAD_CLAUSE = /^for\s+(?:his|her|your|their)\s+(?:\S+\s+){0,3}?(?:we|i)(?:'ll|'m|'re| will| are| am)?\s/i;
/** An examination dictated part by part ("on your heart exam", "on the neck examination"). */
const EXAM_PART = /^(?:and\s+)?on\s+(?:(?:your|the|his|her|my)\s+)?(?:\S+\s+){0,2}?(?:exam|examination)\b/i;

/** A part's exam dictated straight into its finding ("... that i can hear your lung exam no rales", "your neck exam has no jvd"; decisions 0241, 0246). */
const EXAM_PART_FINDING = /^(?:your|her|his|their)\s+(?:\S+\s+){0,2}?(?:exam|examination)\s+(?:has\s+)?no\s/i;

/** Where a run-on sentence (speech recognised without punctuation) starts a new clause: before word i. */
function startsClause(words: string[], i: number): boolean {
  const w = words[i]!.toLowerCase().replace(/[,.;]+$/, '');
  const prev = words[i - 1]!.toLowerCase().replace(/[,.;]+$/, '');
  const next = (words[i + 1] ?? '').toLowerCase();
  const rest = words.slice(i, i + 8).join(' ');
  if (EXAM_PART.test(rest) || EXAM_PART_FINDING.test(rest)) return true;
  // A question tagged on at the end ("... order a lipid panel any questions about that") is a clause of its own.
  if (/^(?:any (?:other )?questions|how does that sound|does that sound|do you have any)\b/i.test(rest)) return true;
  // So is a question asked in the middle of dictation ("... no effusion is there any decreased range of motion do you
  // feel ..."): the findings before it are not lost with it.
  if (/^(?:is there any|are there any|do you (?:feel|get|notice)|does (?:that|this|it) (?:hurt|bother))\b/i.test(rest)) return true;
  // "what i'd like to do is ..." opens the plan after a finding ("... of your congestive heart failure what i'd like to do is").
  if (
    /^what (?:i|we)(?:'d|'ll| would| will| am| are|'m|'re)?\s*(?:like to|want to|wan na|gon na|going to)?\s*(?:do|recommend|suggest) is\b/i.test(
      rest,
    )
  )
    return true;
  // "... any fracture what i am noticing is the development of arthritis", "... as well let me get an x-ray": a finding
  // or an order starts after the one before it.
  if (/^what (?:i|we)(?:'m| am|'re| are)? ?(?:noticing|seeing|see|notice|found|find|feel|hear) is\b/i.test(rest)) return true;
  if (w === 'let' && /^(?:me|us)$/.test(next) && !BINDS_NEXT.test(prev)) return true;
  // "... sounds like based on your diet this is likely caused by your dietary indiscretion": the assessment starts.
  if (
    /^this (?:is|was) (?:most likely|likely|probably|consistent with|due to|caused by|related to)\b/i.test(rest) &&
    !BINDS_NEXT.test(prev)
  )
    return true;
  // "... with flexion or extension of your um your lower leg": a filler said inside a phrase, after a word that needs the
  // noun after it, starts no clause (decision 0240).
  if (/^(?:um|uh)$/.test(w) && /^(?:your|his|her|their|my|the|a|an|of|with|some|any|this|that|these|those|on|in|to|for)$/.test(prev))
    return false;
  if (DISCOURSE.test(w))
    return (
      !/^(?:and|or|not|just|right|is|was|me|so|that|are|doing|do|feel|feeling|even)$/.test(prev) &&
      !(w === 'so' && /^(?:much|far|many|bad|good|long)$/.test(next))
    );
  if (CONJUNCTION.test(w))
    return CLAUSE_SUBJECT.test(next) && next !== 'you'
      ? true
      : /^(?:i|we|you|she|he|there|let's|your)$/.test(next) && !BINDS_NEXT.test(prev);
  if (w === 'for' && PROBLEM_LEAD_CLAUSE.test(rest) && !BINDS_NEXT.test(prev)) return true;
  // "... some arthritis in that i want to prescribe some meloxicam ...": after a preposition or a verb, "that" is the thing
  // itself, not a relative "that", so a new subject after it starts a clause.
  const before = (words[i - 2] ?? '').toLowerCase();
  if (
    prev === 'that' &&
    /^(?:in|for|with|on|at|about|of|to|from|like|do|did|does|try|tried|see|saw)$/.test(before) &&
    /^(?:i|we|i'm|we're|i'll|we'll|i'd|we'd|she|he|they)$/.test(w)
  )
    return true;
  if (BINDS_NEXT.test(prev) || CONJUNCTION.test(prev)) return false;
  if (/^(?:your|her|his|their)$/.test(w)) return YOUR_CLAUSE.test(rest);
  if (w === 'you' && /^(?:know|see|guys)$/.test(next)) return false;
  return CLAUSE_SUBJECT.test(w);
}

/** A run-on sentence cut where new clauses start. */
function runOnClauses(sentence: string): string[] {
  const words = sentence.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let current: string[] = [];
  words.forEach((w, i) => {
    // "on your neck exam" heads the finding that follows it ("on your neck exam there is no jugular venous distention").
    const heading =
      (EXAM_PART.test(current.join(' ')) && current.length <= 10 && !/\b(?:is|are|was|have|has|i|we)\b/i.test(current.join(' '))) ||
      HISTORY_HEADING.test(current.join(' '));
    // "for her high blood pressure we will start ...": the problem lead stays with the plan it introduces.
    const lead =
      current.length <= 6 &&
      /^for$/i.test(current[0] ?? '') &&
      /^(?:his|her|your|their)$/i.test(current[1] ?? '') &&
      /^(?:we|i|we'll|i'll|we're|i'm)$/i.test(w.replace(/[,.;]+$/, ''));
    if (i > 0 && current.length > 0 && !heading && !lead && startsClause(words, i)) {
      out.push(current.join(' '));
      current = [];
    }
    current.push(w);
  });
  if (current.length) out.push(current.join(' '));
  // A clause still long after that is cut at its joints too (a list of findings joined by "and").
  return out.flatMap((c) => (c.split(/\s+/).length >= LONG_CLAUSE ? withListsWhole(c.split(LONG_JOINT)) : [c]));
}

const LONG_CLAUSE = 16;
/** A word that needs the noun after the "and" it comes before ("the first and second metatarsal bases", "limited active and passive range of motion"). */
const BEFORE_SHARED_NOUN =
  /\b(?:first|second|third|fourth|fifth|active|passive|upper|lower|left|right|mild|moderate|severe|acute|chronic|anterior|posterior|medial|lateral|proximal|distal|internal|external|inner|outer|front|back|top|bottom|dorsal|plantar|systolic|diastolic|flexion|extension)$/i;
/** Words that make a piece a clause of its own (a verb, a subject pronoun). */
const CLAUSE_WORD =
  /\b(?:is|are|was|were|be|been|has|have|had|do|does|did|will|would|can|could|should|may|might|must|i|we|you|he|she|they|it|there|this|that|let's|\w+(?:ed|ing)|take|get|go|come|keep|make|see|call|use|start|stop|continue|help|feel|look|seem|need|want|show|shows|looks)\b/i;

/**
 * Pieces of a long clause cut at "and", joined back where the "and" joined two words of one phrase ("the first and second
 * metatarsal bases", "active and passive range of motion", "plates and screws"), not two clauses (decision 0226).
 */
function withListsWhole(pieces: string[]): string[] {
  const out: string[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    const and = /^and\s+(.*)$/i.exec(p);
    if (
      last !== undefined &&
      and?.[1] !== undefined &&
      (BEFORE_SHARED_NOUN.test(last) || (and[1].split(/\s+/).length <= 5 && !CLAUSE_WORD.test(and[1])))
    )
      out[out.length - 1] = `${last} ${p}`;
    else out.push(p);
  }
  return out;
}
/** "for your medical history," heads what follows it ("it's high cholesterol and ..."). */
const HISTORY_HEADING =
  /^(?:(?:so|and|now)\s+)?(?:for|in terms of|as far as|regarding)\s+(?:(?:your|his|her|the)\s+)?(?:past\s+)?(?:medical|surgical|social|family)\s+history,?$/i;
const SHORT_FINDING =
  /^(?:there(?:'s| is| are) no|no) (?!(?:okay|yeah|yes|problem|problems|worries|thanks|thank|sir|ma'am|not|way|one|more|that|this|other|idea|really|never)\b)[a-z]{3,}(?: [a-z]{3,})?$/i;
const DICTATED_OPENING =
  /\b\d+\s*-?\s*(?:year|month)[- ]old\b[^.?!]*\b(?:who\s+(?:presents|is here|comes in|came in|is coming in|is seen)|(?:today\s+)?here\s+(?:today\s+)?(?:for|with))\b/i;
/** What a dictated opening goes on to say to the patient ("... with chf and copd also so gloria tell me what's going on"). */
const OPENING_TAIL =
  /\s+(?:(?:also|and|okay|so|now)\s+)*(?:(?:hi|hello|hey)\b|(?:[a-z]+\s+)?(?:tell me|how are you|what brings you|what's going on)\b).*$/i;
/** The history the dictation goes on to give after the opening ("... during chemotherapy she was diagnosed with ..."). */
const AFTER_OPENING = /\s(?=(?:she|he|they)\s+(?:was|is|has|had|reports|states|denies|underwent|started)\b)/i;
const LONG_JOINT =
  /(?<!\bahead)\s+(?=(?:and|but|because|so|which|the good news)\s(?!(?:take|ice|elevate|continue|start|stop|watch|avoid|call|follow|come|keep|use|apply|try|get|see|make|rest|order|check|increase|decrease)\b))/i;

/** Clauses a spoken sentence is made of when it joins a finding and its consequence (", so we'll ..."). */
export function spokenClauses(sentence: string): string[] {
  // A dictated opening ("ralph is a 62-year-old male with ... depression and prior lobectomy as well as
  // hypertension, who presents for his annual exam") is one sentence of the note: cut, its tail reads as a fragment.
  const opening = DICTATED_OPENING.exec(sentence);
  if (opening && sentence.split(/\s+/).length <= 60) {
    const end = opening.index + opening[0].length;
    const next = AFTER_OPENING.exec(sentence.slice(end));
    if (!next) return [sentence.replace(OPENING_TAIL, '').trim()];
    return [sentence.slice(0, end + next.index).trim(), ...spokenClauses(sentence.slice(end + next.index).trim())];
  }
  // Recognizer output without punctuation: a long run-on is cut where a new clause starts.
  const runOn = sentence.split(/\s+/).length >= 20 && (sentence.match(/[,;]/g) ?? []).length <= 1;
  const parts = (
    runOn
      ? runOnClauses(sentence)
      : sentence.split(
          /,\s*(?:so|and so|which means|but|and then|and)\s+(?=\w)|\s+(?:and|so)\s+(?=(?:i|we|i'm|we're|i'll|we'll|i'd|we'd|let's)\s)|;\s*/i,
        )
  )
    .map((p) => p.trim())
    .filter(Boolean);
  const out: string[] = [];
  // A piece too short to stand alone joins the next one ("you" + "have a fever"), the last one joins the one before.
  let carry = '';
  for (const p of parts) {
    const piece = carry ? `${carry} ${p}` : p;
    // Small talk said in passing ("i'm doing okay but ...") is dropped, not joined to the clause after it.
    if (!carry && runOn && piece.split(/\s+/).length < 4 && CHATTER.test(cleanSpoken(piece))) continue;
    // "... the current regimen of your chemotherapy of the cisplacin" + "and the etoside" + "and we're going to continue
    // ...": the last item of a list ends the clause before it rather than opening the next one.
    if (
      !carry &&
      runOn &&
      out.length > 0 &&
      piece.split(/\s+/).length < 4 &&
      /^(?:and|or)\s+(?:the|a|an|some|your|his|her)\s+[a-z]/i.test(piece)
    ) {
      out[out.length - 1] = `${out[out.length - 1]} ${piece}`;
      continue;
    }
    // A short finding ("there's no swelling", "no fracture") is a sentence of its own: joined to the next clause it
    // becomes a run-on the rewrite leaves out ("there's no swelling i can appreciate a small amount of effusion").
    if (piece.split(/\s+/).length < 4 && !(runOn && SHORT_FINDING.test(piece))) {
      carry = piece;
      continue;
    }
    carry = '';
    out.push(piece);
  }
  if (carry) {
    if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]}${runOn ? ' ' : ', '}${carry}`;
    else out.push(carry);
  }
  return out;
}

/** A narrative verb the patient says without its subject ("... and actually ended up falling on top of my foot"). */
const SUBJECTLESS_NARRATIVE =
  /^(?:started|ended up|had to|got|bent|saw|noticed|looked|went|felt|fell|tried|took|hurt|twisted|slipped|came|woke|decided|dropped|stepped|tripped|landed|rolled|injured|heard|stopped|kept|began|missed|lifted|pulled|walked|developed|broke|iced|elevated|wrapped)\s+(?!(?:or|and)\b)\S+\s+\S+/i;
/** The subjects a patient's narrative may have; only after "i" (or none) is an elided subject the speaker. */
const NARRATIVE_SUBJECT =
  /\b(?:i|i'm|i've|i'd|he|she|they|we|you|it(?=\s+(?:is|was|has|had|'s|just|still|really|kind|started|got|went|kept|\w+ed\b|\w+s\b))|my (?:wife|husband|son|daughter|mom|mother|dad|father|friend|friends|kids?|brother|sister|boss|partner|doctor|trainer))\b/gi;

/**
 * A patient's clause that opens with a narrative verb and no subject ("ended up falling on top of my foot", "bent over to
 * pick something up", "started having pain on my left back") said by the patient about themself: the "i" speech left
 * out is put back, so the rewrite reads "The patient ended up falling ..." (decision 0230). When the turn's last subject
 * before the clause is someone else ("my husband ... and had to call"), the clause is left as it is.
 */
export function withSpeakerAsSubject(cleaned: string, turn: string, clause: string): string {
  if (!SUBJECTLESS_NARRATIVE.test(cleaned)) return cleaned;
  const at = turn.toLowerCase().indexOf(clause.toLowerCase());
  const before = at > 0 ? turn.slice(0, at) : '';
  const last = [...before.matchAll(NARRATIVE_SUBJECT)].at(-1)?.[0].toLowerCase();
  return last === undefined || /^i(?:'m|'ve|'d)?$/.test(last) ? `i ${cleaned}` : cleaned;
}

const IMAGING_REVIEWED =
  /\b(?:review|reviewed|reviewing|look at|looked at|looking at|take a look at|took a look at|go over|went over|results? of)\s+(?:the\s+|your\s+|his\s+|her\s+|their\s+)?(?:results? of\s+(?:the\s+|your\s+|his\s+|her\s+)?)?((?:(?:right|left)\s+)?(?:[a-z]+\s+)?(?:x-?rays?|mri|ct(?:\s+scan)?|cat scan|ultrasound|echocardiogram|ekg|ecg)(?:\s+of\s+(?:the\s+|your\s+|his\s+|her\s+|their\s+)?(?:(?:right|left)\s+)?[a-z]+)?)/i;
/** A sentence that states a finding (not an order, advice or history). */
const FINDING_SENTENCE =
  /^(?:No |There (?:is|are)\b|(?:It|This|These|That) (?:(?:does|did) )?(?:is|are|was|shows?|showed|reveals?|revealed|demonstrates?)\b|(?:Normal|Mild|Mild to moderate|Moderate|Severe|Preserved|Reduced|Decreased|Increased|Abnormal) [a-z]|(?:The |His |Her |Their )?[a-z -]{2,30} (?:is|are|appears?|looks?) (?:normal|intact|well|within|unremarkable|maintained|stable))/i;
/** "It does show preserved ejection fraction" under its study label: "Echocardiogram: Preserved ejection fraction". */
const SHOWS = /^(?:It|This|That) (?:(?:does|did) )?(?:shows?|showed|reveals?|revealed|demonstrates?|demonstrated)\s+(?=[a-z])/;

/** The study a clinician's clause says is being reviewed ("let's review the x-ray of your elbow" -> "X-ray of the elbow"). */
export function imagingReviewed(clause: string): string | null {
  const m = IMAGING_REVIEWED.exec(clause.toLowerCase());
  if (!m || !m[1]) return null;
  return capitalize(
    studyAcronyms(m[1])
      .replace(/\b(?:your|his|her|their)\b/g, 'the')
      .replace(/\bxray/g, 'x-ray')
      .trim(),
  );
}

const TIME_WORDS =
  /\b(?:ago|since|yesterday|today|tonight|last (?:night|week|month|year)|days?|weeks?|months?|years?|hours?|morning|evening|january|february|march|april|may|june|july|august|september|october|november|december|\d+)\b/i;

/** Open history questions and the fact a short answer to each states (onset, modifiers, severity). */
const HISTORY_QUESTIONS: Array<[RegExp, (answer: string) => string | null]> = [
  [/\bwhat (?:makes|made|seems to make) (?:it|the pain|that|this|them|your \w+) (worse|better)\b/i, () => null],
  [
    /\b(?:when did (?:this|it|that|these|they|the \w+|your \w+(?: \w+)?|these (?:\w+ ){1,4}?(?:of )?\w+) (?:all )?(?:first )?(?:start|begin|happen|come on|occur)|how long (?:ago )?(?:has|have|did) (?:this|it|that|the \w+|these|they)(?: been)?(?: going on| lasted| last)?)\b/i,
    (a) => (TIME_WORDS.test(a) ? `Onset: ${a.replace(/^(?:a|an)\s+(?=year|month|week|day)/i, '1 ')}` : null),
  ],
  [
    // "where is it mostly tender right now?" "right on the inside of my knee." -> "Location: Right on the inside of his knee."
    /\bwhere (?:is|does|do you feel) (?:it|the pain|that|this)\b(?: \w+){0,4}[?.\s]*$/i,
    (a) =>
      /\b(?:in|on|at|under|behind|above|below|inside|outside|around|along|near|down|up)\b/i.test(a) &&
      !/\b(?:he|she|they|the patient)\b/i.test(a)
        ? `Location: ${a}`
        : null,
  ],
  [
    /\b(?:on a scale (?:of|from) (?:0|zero|1|one) to (?:10|ten)|how would you rate)\b/i,
    (a) => {
      const n = numbersIn(a).filter((x) => Number(x) <= 10);
      return n.length === 1 ? `Severity rated ${n[0]} out of 10` : null;
    },
  ],
];

/** A choice between two things that make it worse or better ("was the pain worse with eating or exercise"). */
const WORSE_WITH_WHICH =
  /\b(?:is|was|does|did|do)\s+(?:it|the pain|that|this|they|your \w+)\s+(?:get\s+|feel\s+|seem\s+)?(worse|better)\s+(?:with|when|after)\s+([a-z]+(?: [a-z]+)?)\s+or\s+([a-z]+(?: [a-z]+)?)$/i;

/** "when was your last x" (a test, a period, a bowel movement): the answer says when. */
const LAST_ONE = /\bwhen (?:was|is|did you have) (?:your|the|her|his) last ([a-z][a-z -]{2,30})$/i;

/** A short answer to an open history question as a note fact, or null ("what makes it worse?" "stairs" -> "Worse with stairs."). */
export function historyFact(question: string, answer: string, who: PatientReference): string | null {
  const a = patientToThirdPerson(findingVoice(cleanSpoken(answer), who, false), who).replace(/[.!]+$/, '');
  if (
    !a ||
    a.split(/\s+/).length > 8 ||
    /\b(?:not sure|no idea|do n'?t know|don't know|do not know|does not know)\b/i.test(`${answer} ${a}`)
  )
    return null;
  // The first word in lower case, also after a number ("2 Weeks" -> "2 weeks").
  const lower = a.replace(/^((?:\d+\s+)?)([A-Z])/, (_m, n: string, c: string) => `${n}${c.toLowerCase()}`);
  // "when was your last colonoscopy?" "about five to six years ago." -> "Last colonoscopy: About 5 to 6 years ago."
  const last = LAST_ONE.exec(cleanSpoken(question).replace(/[?.!\s]+$/, ''));
  if (last && last[1] && TIME_WORDS.test(a) && !/\b(?:your|my|you|i)\b/i.test(last[1])) {
    const when = lower.replace(/^(?:it was|it is|it's|maybe|probably|like)\s+/i, '');
    return written(`Last ${last[1].toLowerCase()}: ${when}`);
  }
  // "was the pain worse with eating or exercise?" "with eating." -> "Worse with eating." (one alternative named, not both).
  const choice = WORSE_WITH_WHICH.exec(cleanSpoken(question).replace(/[?.!\s]+$/, ''));
  if (choice && choice[1] && choice[2] && choice[3]) {
    const said = ` ${lower.toLowerCase().replace(/[.!]+$/, '')} `;
    const named = [choice[2], choice[3]].filter((alt) => said.includes(` ${alt.toLowerCase()} `));
    return named.length === 1 ? written(`${capitalize(choice[1].toLowerCase())} with ${named[0]}`) : null;
  }
  for (const [re, write] of HISTORY_QUESTIONS) {
    const m = re.exec(question);
    if (!m) continue;
    if (m[1])
      return written(`${capitalize(m[1].toLowerCase())} with ${lower.replace(/^(?:with|when|if)\s+/i, (w) => (/with/i.test(w) ? '' : w))}`);
    const text = write(lower.replace(/^(?:it was|it is|it's|about|maybe|probably|like)\s+/i, (w) => (/about/i.test(w) ? w : '')));
    return text ? written(text) : null;
  }
  return null;
}

const ADDRESSES_PATIENT = /\b(?:you|your|you're|you've|yourself)\b/i;
const FIRST_PERSON = /\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|us|our)\b/i;

/** Words in a patient's turn that address "you" and never say "I": the clinician's speech put in the wrong turn. */
export function saidByClinician(text: string): boolean {
  return ADDRESSES_PATIENT.test(text) && !FIRST_PERSON.test(text);
}

/** The clinician's sentence is a plan item (it turns into one: "i'm going to order ..."). */
export function isPlanStatement(u: Utterance, who: PatientReference): boolean {
  const clinician = u.speaker === 'clinician' || (u.speaker === 'patient' && saidByClinician(u.text));
  return clinician && !u.isQuestion && planVoice(cleanSpoken(withoutProblemLead(u.text)), who) !== null;
}

/** A statement the clinician makes before asking, in one sentence ("i know that you've had x, so how's that going?"). */
const KNOWN_THEN_ASKED =
  /^(.{12,}?),\s*(?:but|so|and)\s+(?=(?:how|what|when|where|have you|do you|did you|are you|is there|are there|any)\b)/i;
/** It opens with what the clinician knows or was told ("i know that", "i see", "it looks like"). */
const KNOWN_LEAD =
  /^(?:(?:so|and|well|okay|now|um|uh|alright)[,\s]+)*(?:i,?\s+)*(?:i know|i see|i understand|i heard|i read|i noticed|it looks like)\b/i;

/** The pieces of what the clinician states they know before asking that are about the patient ("you endorsed x"). */
export function knownBeforeAsking(question: string): string[] {
  const m = KNOWN_THEN_ASKED.exec(question);
  if (!m || !m[1] || !KNOWN_LEAD.test(m[1])) return [];
  return spokenClauses(m[1]).filter((c) => ABOUT_YOU.test(c));
}
const ABOUT_YOU =
  /^(?:(?:so|and|but|well|okay|now|um|uh|alright)[,\s]+)*(?:(?:i,?\s+)*(?:i know|i see|i understand|i heard|i read|i noticed|it looks like)(?:\s+that)?\s+)?(?:you|you've|you're)\b/i;

/** "no never never had any problems with my stomach": a "never" without its subject restates the "no". */
const RESTATED_NEVER = /^(?:never\s+)+(?:had|been|have)\b/i;

/** A "no" that repeats the finding just denied, joined to what the answer goes on to say ("no numbness and ..."). */
const DENIED_AGAIN = /^(?:no\s+)+([a-z]+(?:\s+[a-z]+)?)\s*,?\s+(?:and|but)\s+(?=\S)/i;

/** How the first clause of a qualified answer opens: the answer itself ("no fever some chills", "a little one", "once in a while"). */
const ANSWER_HEAD =
  /^(?:no|not|nothing|none|nope|yes|yeah|some|a little|a bit|little|once|only|just|never|maybe|occasionally|sometimes|mostly|it was|it is|it's)\b/i;

/** The yes or no an answer opens with. */
const ANSWER_LEAD = /^(no|nope|nah|yes|yeah|yep|yup|not really|correct)\b[,.]?\s*/i;

export function noteSentences(u: Utterance, who: PatientReference, terms?: TermFinder): DraftSentence[] {
  const out: DraftSentence[] = [];
  const push = (text: string | null, evidence: string[]): void => {
    // A fragment is repaired or left out here, before the budget (decision 0190).
    const w = text ? readable(written(text), terms) : null;
    if (w) out.push({ text: w, evidence });
  };
  const cleaned = cleanSpoken(u.text);
  if (u.speaker !== 'clinician') {
    const polarity = answerPolarity(u.text);
    // Only a turn's first sentence answers yes or no ("so i don't know if that led to anything" later in it does not).
    if (polarity && !u.laterInTurn && (u.isAnswerToQuestion || /\?\s*$/.test(u.previous)) && u.previousSegmentId) {
      const all = u.previousQuestions && u.previousQuestions.length > 1 ? deniedFindings(u.previousQuestions, u.text, who) : null;
      const asked = answeredQuestion(u.previousQuestions ?? []) ?? u.previous;
      // "and you are still on your metformin?" "yes." confirms what the question states (decision 0197).
      const confirmed = all ? null : confirmedStatement(asked, u.text, who);
      const denied = all || confirmed ? null : deniedStatement(asked, u.text, who);
      const f = all ? { text: all } : confirmed ? { text: confirmed } : denied ? { text: denied } : pertinentFinding(asked, u.text, who);
      // "any nausea chills fever?" "no fever some chills and i'm in so much pain i can't eat and i do feel a little nauseous":
      // a long unpunctuated qualified answer is written as its first clause under the question, the rest clause by clause
      // (decision 0230); the whole run under "Regarding ...:" read as speech.
      const answerClauses =
        f?.text.startsWith('Regarding ') && wordTokens(u.text).length >= 12 && !/[,;.!?]\s/.test(u.text) ? spokenClauses(u.text) : [];
      if (f && answerClauses.length > 1 && ANSWER_HEAD.test(cleanSpoken(answerClauses[0]!))) {
        const label = f.text.slice(0, f.text.indexOf(': ') + 2);
        const head = patientToThirdPerson(answerClauses[0]!, who).replace(/[.]$/, '');
        push(`${label}${head.charAt(0).toLowerCase()}${head.slice(1)}`, [u.previousSegmentId, u.segmentId]);
        for (const clause of answerClauses.slice(1)) sayClause(clause);
        return out;
      }
      if (f) push(f.text, [u.previousSegmentId, u.segmentId]);
      // "no no numbness or tingling" to "any numbness?": what the "no" names beyond the question is denied too.
      const more = f && / denies /.test(f.text) ? alsoDenied(u.text, f.text, who) : null;
      if (more) push(more, [u.segmentId]);
      // "body aches, joint pain?" "uh, a bit of joint pain.": the finding the answer names is reported.
      const named = !f && terms && questionFinding(asked) ? answeredFinding(u.text, who, terms, asked) : null;
      if (named) push(named, [u.previousSegmentId, u.segmentId]);
      // "no, not that i've noticed": the answer's second lead says no more than the first; nor does "i don't think so".
      // "no no numbness and i don't think i've had like any tingling": the "no numbness" the denial wrote is not said
      // again, so what follows it is a clause of its own ("He denies tingling.").
      const deniedAgain = (text: string): string => {
        const again = DENIED_AGAIN.exec(text);
        return again && again[1] && f && / denies /.test(f.text) && f.text.toLowerCase().includes(again[1].toLowerCase())
          ? text.slice(again[0].length)
          : text;
      };
      const rest = deniedAgain(
        cleaned
          .replace(ANSWER_LEAD, '')
          .replace(/^(?:not that i(?:'ve| have)? (?:noticed|know of|know)|i do(?: n't|n't| not) think so)\b[,.]?\s*/i, ''),
      );
      // "no never never had any problems with my stomach i love ...": after the denial, its "never" clause restates it.
      const restates = !!f && / denies /.test(f.text) && RESTATED_NEVER.test(rest);
      if (wordTokens(rest).length >= 5 && u.speaker === 'patient' && !f?.text.startsWith('Regarding ')) {
        const clauses = (): string[] => spokenClauses(deniedAgain(u.text.replace(ANSWER_LEAD, ''))).slice(restates ? 1 : 0);
        // What a long unpunctuated answer goes on to say is cut into clauses like any run of speech ("i get a lot of
        // swelling and it's very stiff in the morning until i get walking").
        if (wordTokens(rest).length >= 12 && !/[,;.!?]\s/.test(u.text)) for (const clause of clauses()) sayClause(clause);
        else if (!restates) {
          const before = out.length;
          push(patientToThirdPerson(rest, who), [u.segmentId]);
          // A rest that does not read as one written sentence is said clause by clause ("yeah, i've been kind of managing
          // through my depression, and, uh, my asthma's been acting up ...").
          if (out.length === before) for (const clause of clauses()) sayClause(clause);
        }
      }
      return out;
    }
  }
  // "and i know that you've had a coronary artery bypass grafting at the young age of 27, so how's that going?": what the
  // clinician states they know before asking is a fact of the history, written like any statement of theirs.
  const known = u.isQuestion && u.speaker === 'clinician' ? knownBeforeAsking(u.text) : [];
  if (known.length > 0) {
    for (const clause of known) sayClause(clause);
    return out;
  }
  if (u.isQuestion || !cleaned || CHATTER.test(cleaned)) return out;
  // "any family history of gynecological cancers" "i was adopted": the family history is not known.
  // "any nausea vomiting any fever chills" "i feel nauseated but i'm not vomiting": "He reports nausea without vomiting."
  const answered =
    u.speaker === 'patient' && u.isAnswerToQuestion && u.previousSegmentId
      ? (familyHistoryUnknown(u.previous, u.text, who) ?? reportedWithout(u.previous, u.text, who))
      : null;
  if (answered) {
    push(answered, [u.previousSegmentId!, u.segmentId]);
    return out;
  }
  if (wordTokens(cleaned).length < 3) {
    // "any chest pain?" "slight cramps.": a finding named in answer to a question about findings is reported.
    const named =
      u.speaker === 'patient' && u.isAnswerToQuestion && u.previousSegmentId && terms && questionFinding(u.previous)
        ? answeredFinding(u.text, who, terms, u.previous)
        : null;
    // "when did these four days of chest pain occur?" "early october." is the onset.
    const fact =
      !named && u.speaker === 'patient' && u.isAnswerToQuestion && u.previousSegmentId ? historyFact(u.previous, u.text, who) : null;
    if (named) push(named, [u.previousSegmentId!, u.segmentId]);
    else if (fact) push(fact, [u.previousSegmentId!, u.segmentId]);
    return out;
  }
  // "i've had a little nasal congestion ... but everything else has been okay": the rest of what was asked is denied.
  if (u.speaker === 'patient' && u.isAnswerToQuestion && u.previousSegmentId) {
    // "i've had a little bit of nasal congestion ... but everything else has been okay.": the turn so far names what was had.
    const answer = u.laterInTurn && u.turnBefore ? `${u.turnBefore} ${u.text}` : u.text;
    const rest = restDenied(u.previousQuestions?.length ? u.previousQuestions : [u.previous], answer, who);
    if (rest) push(rest, [u.previousSegmentId, u.segmentId]);
  }
  // Imaging the clinician reviews labels the findings said after it in the same turn ("Right foot x-ray: No evidence of
  // osteomyelitis.").
  let imaging: string | null = null;
  for (const clause of spokenClauses(u.text)) {
    if (CHATTER.test(cleanSpoken(clause))) continue;
    const before = out.length;
    const study = u.speaker === 'patient' && !saidByClinician(clause) ? null : imagingReviewed(clause);
    sayClause(clause);
    if (imaging) {
      for (let k = before; k < out.length; k++) {
        const t = out[k]!.text;
        if (FINDING_SENTENCE.test(t) && !/^[A-Z][A-Za-z -]{1,30}:/.test(t) && !/^(?:It|This|That)(?: does| did)? \w+\.?$/.test(t))
          out[k] = { ...out[k]!, text: `${imaging}: ${capitalize(t.replace(SHOWS, ''))}` };
      }
    }
    if (study) imaging = study;
    // Facts the rewrite lost (the clause could not be written whole) are kept as short statements of its own words.
    if (!terms || u.speaker === 'other') continue;
    const kept = namedTerms(
      out
        .slice(before)
        .map((s) => s.text)
        .join(' '),
      terms,
    );
    const lost = new Set([...namedTerms(clause, terms)].filter((t) => !kept.has(t)));
    if (lost.size > 0)
      for (const fact of salvageFacts(clause, terms, lost, u.speaker === 'patient')) {
        // "i tolerated it for four days but then had to go to the emergency room": a patient's fact cut out after its
        // "i" is said with the patient as subject ("The patient had to go to the emergency room.", decision 0230).
        const said = fact.replace(/[.]$/, '').toLowerCase();
        const own = u.speaker === 'patient' ? withSpeakerAsSubject(said, u.text, said) : said;
        push(own === said ? fact : patientToThirdPerson(own, who), [u.segmentId]);
      }
  }
  return out;

  function sayClause(clause: string): void {
    // A patient's turn that addresses "you" and never says "I" is the clinician's speech the turn-taking put there
    // (recognizers and transcribers join turns): it is written in the clinician's voice.
    if (u.speaker === 'patient' && saidByClinician(clause)) {
      push(clinicianVoice(cleanSpoken(withoutProblemLead(clause)), who), [u.segmentId]);
      return;
    }
    if (u.speaker === 'patient') {
      const neg = statedNegative(clause, who) ?? recalledNone(clause, who);
      const topic = /\?\s*$/.test(u.previous) && u.previousSegmentId ? questionTopic(u.previous) : null;
      if (!neg && topic && !new RegExp(`\\b${topic.replace(/[^a-z0-9 ]/gi, '')}\\b`, 'i').test(clause)) {
        push(`${capitalize(topic)}: ${patientToThirdPerson(findingVoice(cleanSpoken(clause), who, false), who)}`, [
          u.previousSegmentId!,
          u.segmentId,
        ]);
        return;
      }
      const said =
        neg ?? written(patientToThirdPerson(findingVoice(withSpeakerAsSubject(cleanSpoken(clause), u.text, clause), who, false), who));
      const fragment = said ? reportedFragment(said, who) : null;
      // A short answer to an open history question ("what makes it worse?" "movement") is the fact the question asks.
      const fact = !fragment && u.previousSegmentId && u.isAnswerToQuestion ? historyFact(u.previous, clause, who) : null;
      // "any chest pain, shortness of breath, or belly pain?" "shortness of breath.": the finding the answer names.
      const named =
        !fact && !fragment && terms && u.previousSegmentId && u.isAnswerToQuestion && questionFinding(u.previous)
          ? answeredFinding(clause, who, terms, u.previous)
          : null;
      // "when was your last menstrual period?" "gosh. it was probably around 30 years ago.": an answer that needs the
      // question to say what "it" is, is the fact the question asks ("Last menstrual period: Probably around 30 years ago.").
      const asked =
        !fact && fragment && needsReferent(fragment) && u.previousSegmentId && u.isAnswerToQuestion
          ? historyFact(u.previous, clause, who)
          : null;
      if (fact ?? asked) push(fact ?? asked, [u.previousSegmentId!, u.segmentId]);
      else if (named) push(named, [u.previousSegmentId!, u.segmentId]);
      else push(fragment, [u.segmentId]);
    } else if (u.speaker === 'clinician') {
      push(clinicianVoice(cleanSpoken(withoutProblemLead(clause)), who), [u.segmentId]);
    } else if (u.speaker === 'other') {
      push(otherToNoteStyle(clause), [u.segmentId]);
    } else {
      // Unknown speaker: a plan statement is the clinician's; anything else is kept only if it names no person.
      const plan = planVoice(cleanSpoken(withoutProblemLead(clause)), who);
      push(plan ?? unlabelledToNoteStyle(findingVoice(cleanSpoken(clause), who)), [u.segmentId]);
    }
  }
}
