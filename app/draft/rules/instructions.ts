import { capitalize, terminate } from '../text.ts';
import type { PatientReference } from './note-style.ts';

/**
 * Patient instructions: the plan items that ask something of the patient, written to them in plain words.
 */

/** Plain words for tests and procedures the patient will have. */
const PLAIN_TESTS: Array<[RegExp, string]> = [
  [/\b(?:hemoglobin )?a1c\b/i, 'a blood sugar test (A1c)'],
  [/\blipid panel\b|\bcholesterol (?:panel|test)\b/i, 'a cholesterol blood test'],
  [/\b(?:basic |comprehensive )?metabolic panel\b|\bbmp\b|\bcmp\b/i, 'a blood test of your kidneys and salts'],
  [/\bcbc\b|\bcomplete blood count\b/i, 'a blood count test'],
  [/\burinalysis\b|\burine (?:test|sample)\b/i, 'a urine test'],
  [/\bechocardiogram\b|\becho\b/i, 'an ultrasound of your heart (echo)'],
  [/\bekg\b|\becg\b|\belectrocardiogram\b/i, 'a heart tracing (EKG)'],
  [/\bmri\b/i, 'an MRI scan'],
  [/\bct scan\b|\bcat scan\b|\bct\b/i, 'a CT scan'],
  [/\bx-?rays?\b/i, 'an X-ray'],
  [/\bultrasound\b/i, 'an ultrasound'],
  [/\bblood work\b|\blabs?\b|\bblood tests?\b/i, 'blood tests'],
  [/\bphysical therapy\b/i, 'physical therapy'],
];

const WHEN = /\b(?:in|within|after|for)\s+(?:about\s+)?(?:\d+|a|one|two|three|four|six)\s+(?:days?|weeks?|months?|years?)\b/i;

/** A plan item as an instruction to the patient in plain words, or null when it has no instruction for them. */
export function instructionFor(item: string, who: PatientReference): string | null {
  const s = item.replace(/[.]+$/, '').trim();
  const when = WHEN.exec(s)?.[0] ?? '';
  const toYou = (t: string): string => {
    let x = ` ${t} `;
    if (who.possessive !== 'their') x = x.replace(new RegExp(`\\b${who.possessive}\\b`, 'gi'), 'your');
    x = x.replace(/\bthe patient's\b/gi, 'your').replace(/\bthe patient\b/gi, 'you');
    if (who.subject !== 'the patient')
      x = x.replace(new RegExp(`\\b${who.subject} (?:is|has)\\b`, 'gi'), (m) => (/is$/.test(m) ? 'you are' : 'you have'));
    x = x
      .replace(/\b(?:she|he)\b/gi, 'you')
      .replace(/\b(?:him)\b/gi, 'you')
      .replace(/\bherself\b|\bhimself\b|\bthemself\b/gi, 'yourself');
    return x.trim();
  };
  let m: RegExpExecArray | null;
  if ((m = /^Advised to (.+)$/i.exec(s))) return sentence(toYou(m[1]!));
  if ((m = /^(?:Start|Restart|Prescribe|Begin)\s+(?!by\b|off\b)(.+)$/i.exec(s)))
    return sentence(`Start taking ${toYou(m[1]!)} as your doctor prescribed`);
  if ((m = /^(?:Increase)\s+(.+)$/i.exec(s))) return sentence(`Take a higher dose of ${toYou(m[1]!).replace(/\s+to\s+/, ': ')}`);
  if ((m = /^(?:Decrease|Reduce|Lower)\s+(.+)$/i.exec(s)))
    return sentence(`Take a lower dose of ${toYou(m[1]!).replace(/\s+to\s+/, ': ')}`);
  if ((m = /^(?:Stop|Discontinue|Hold)\s+(.+)$/i.exec(s))) return sentence(`Stop taking ${toYou(m[1]!)}`);
  if ((m = /^(?:Continue|Keep)\s+(.+)$/i.exec(s))) return sentence(`Keep taking ${toYou(m[1]!)} the same way you take it now`);
  if ((m = /^(?:Refill)\s+(.+)$/i.exec(s))) return sentence(`You will get a refill of ${toYou(m[1]!)}`);
  if ((m = /^(?:Refer|Send)\s+(?:(?:the patient|her|him)\s+)?(?:to|over to|back to)\s+(.+)$/i.exec(s)))
    return sentence(`We will send you to ${toYou(m[1]!)} for another visit`);
  if ((m = /^(?:Follow up|Return|See)\b\s*(.*)$/i.exec(s)))
    return when
      ? sentence(`Come back for a follow-up visit ${when}`)
      : /\bwith\b/i.test(m[1] ?? '')
        ? sentence(`Follow up ${toYou(m[1]!)}`)
        : null;
  if ((m = /^(?:Schedule|Arrange)\s+(.+)$/i.exec(s))) return sentence(`Make an appointment for ${toYou(m[1]!)}`);
  if (/^(?:Order|Obtain|Repeat|Check|Recheck|Perform|Draw|Get|Screen|Test|Measure)\b/i.test(s)) {
    for (const [re, plain] of PLAIN_TESTS)
      if (re.test(s)) return sentence(`You will have ${plain}${when ? ` ${when}` : ''}, and we will go over the results with you`);
    return null;
  }
  return null;
}

function sentence(text: string): string {
  return capitalize(terminate(text.replace(/\s{2,}/g, ' ').trim()));
}
