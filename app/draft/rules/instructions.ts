import type { DraftSentence } from '../../contract/index.ts';
import { capitalize, numbersIn, terminate } from '../text.ts';
import type { Utterance } from '../utterances.ts';
import type { DrugLexicon } from './medication.ts';
import { cleanSpoken, writeQuantities, type PatientReference } from './note-style.ts';
import { abbreviationsInCapitals, mentionsProblem, type PlanEntry, type ProblemMention } from './plan.ts';

/**
 * Patient instructions: the plan items that ask something of the patient, written to them in plain words, one
 * instruction per item, with the reason when the visit gives one ("Keep taking lisinopril 20 mg a day to help control
 * your blood pressure."), in the order a patient acts on them: medicines, care at home, tests, appointments, when to
 * call. Every instruction cites the turns of its plan item (and of the diagnosis its reason names); nothing the visit
 * did not say is added: reasons name only the problems the clinician named, and the return precautions are the ones
 * the clinician gave.
 */

export type InstructionKind = 'medicine' | 'care' | 'test' | 'appointment' | 'call';

export interface Instruction {
  kind: InstructionKind;
  /** The instruction as a sentence to the patient, without a reason added. */
  text: string;
  /** What it is about (a drug, a test, "follow-up", a specialist), for dropping repeats. */
  key: string;
  /** A medicine change: a test for the same problem then checks whether it works. */
  change?: 'new' | 'higher' | 'lower' | 'stop';
  /** The item says why already ("to check the murmur", "as needed for pain"): no reason is added. */
  hasReason: boolean;
  /** How a reason joins the instruction. */
  reason?: 'treat' | 'track' | 'check' | 'help';
  /** Says "it" for the problem: kept only when its reason names the problem. */
  needsTopic?: boolean;
  /** The turns that said what a test is for, when the instruction says it. */
  purpose?: string[];
}

/** Tests that measure one problem: the only problem their reason can name, and whose medicine change they check. */
const TEST_FAMILY: Record<string, RegExp> = {
  a1c: /diabetes|sugar/,
  lipids: /cholesterol|lipid/,
  thyroid: /thyroid/,
  anemia: /anemia/,
};

/** Imaging looks at the problem just discussed (an MRI of the shoulder); blood tests are often ordered for everything at once. */
const IMAGING = new Set(['mri', 'ct', 'x-ray', 'ultrasound', 'echo']);

const KIND_ORDER: InstructionKind[] = ['medicine', 'care', 'test', 'appointment', 'call'];

/** Medical shorthand for dosing in plain words. */
const PLAIN_DOSING: Array<[RegExp, string]> = [
  [/\b(?:that's|that is|which is|which's) going to be\s+/gi, ''],
  [/\bq\.?\s?(\d+)\s?h(?:ours?|rs?)?\b\.?/gi, 'every $1 hours'],
  [/\bb\.?i\.?d\b\.?/gi, 'twice a day'],
  [/\bt\.?i\.?d\b\.?/gi, 'three times a day'],
  [/\bq\.?i\.?d\b\.?/gi, 'four times a day'],
  [/\bq\.?h\.?s\b\.?/gi, 'at bedtime'],
  [/\bq\.?d\b\.?/gi, 'once a day'],
  [/\bp\.?r\.?n\b\.?/gi, 'as needed'],
  [/\bp\.?o\b\.?(?=\s|$)/gi, 'by mouth'],
  [/\b(once|twice|three times|four times) daily\b/gi, '$1 a day'],
  [/,\s*(?=\d|once|twice|every|as needed)/gi, ' '],
  [/\bpush fluids\b/gi, 'drink plenty of fluids'],
  [/\bworsens?\b/gi, 'gets worse'],
];

/** Tests and procedures, with the plain words a patient knows them by (the name said is kept beside them). */
const TESTS: Array<{ re: RegExp; key: string; plain: string; blood?: boolean; urine?: boolean; procedure?: boolean }> = [
  { re: /\b(?:hemoglobin )?a1c\b/i, key: 'a1c', plain: 'an A1c test', blood: true },
  { re: /\blipid panel\b|\bcholesterol (?:panel|test)\b/i, key: 'lipids', plain: 'a cholesterol test (lipid panel)', blood: true },
  { re: /\b(?:basic |comprehensive )?metabolic panel\b|\bbmp\b|\bcmp\b/i, key: 'bmp', plain: 'a metabolic panel', blood: true },
  { re: /\bcbc\b|\bcomplete blood count\b/i, key: 'cbc', plain: 'a blood count (CBC)', blood: true },
  { re: /\bthyroid panel\b|\btsh\b/i, key: 'thyroid', plain: 'a thyroid test', blood: true },
  { re: /\banemia (?:profile|panel)\b|\biron (?:studies|panel|labs)\b/i, key: 'anemia', plain: 'an anemia test', blood: true },
  { re: /\bautoimmune panel\b/i, key: 'autoimmune', plain: 'an autoimmune panel', blood: true },
  { re: /\blyme\b|\bwestern blot\b/i, key: 'lyme', plain: 'a Lyme disease test', blood: true },
  { re: /\bblood work\b|\blab work\b|\blabs?\b|\bblood tests?\b/i, key: 'labs', plain: 'lab tests', blood: true },
  { re: /\burine culture\b/i, key: 'urine culture', plain: 'a urine culture', urine: true },
  { re: /\burinalysis\b|\burine (?:test|sample)\b/i, key: 'urinalysis', plain: 'a urine test', urine: true },
  { re: /\bechocardiogram\b|\becho\b/i, key: 'echo', plain: 'an ultrasound of your heart (echocardiogram)' },
  { re: /\bekg\b|\becg\b|\belectrocardiogram\b/i, key: 'ekg', plain: 'an EKG (a tracing of your heartbeat)' },
  { re: /\bpulmonary function tests?\b|\bpfts?\b/i, key: 'pft', plain: 'pulmonary function tests (tests of how well you breathe)' },
  { re: /\bmri\b/i, key: 'mri', plain: 'an MRI' },
  { re: /\bct scan\b|\bcat scan\b|\bct\b/i, key: 'ct', plain: 'a CT scan' },
  { re: /\bx-?rays?\b/i, key: 'x-ray', plain: 'an X-ray' },
  { re: /\bultrasound\b/i, key: 'ultrasound', plain: 'an ultrasound' },
  { re: /\bmammogram\b/i, key: 'mammogram', plain: 'a mammogram' },
  { re: /\bcolonoscopy\b|\bendoscopy\b|\begd\b/i, key: 'scope', plain: '', procedure: true },
  { re: /\bvisual field test(?:ing)?\b/i, key: 'visual field', plain: 'a vision test (visual field test)' },
];

/** Specialists by the name said, with plain words for what they do (only words that add no new clinical term). */
const SPECIALISTS: Array<[RegExp, string]> = [
  [/\bhematolog\w*/i, 'a doctor who treats blood problems'],
  [/\bcardiolog\w*/i, 'a heart doctor'],
];

const SPECIALIST_WORD =
  /(?:ist|ists|ogy|ics|therapy|dr\.|doctor|clinic|specialist|surgeon|center|nutrition|dietitian|program|services?)\b/i;
const MEDICINE_WORDS =
  /\b(?:antibiotics?|pain (?:medicine|medication|pills?)|medicines?|medications?|steroids?|inhalers?|creams?|ointments?|gel|drops|supplements?|vitamin \w+|pills?|tablets?|injections?|shots?)\b/i;
const APPLIED = /\b(?:puffs?|inhaler|cream|ointment|gel|drops|spray|patch|swish)\b/i;
const DEVICES = /\b(?:finger splint|splint|sling|knee brace|brace|boot|cast|crutches|walker|cane|compression stockings)\b/i;
const CURRENT =
  /^(?:on |with )?(?:the |your |all )?(?:current|same|present) (?:medications?|meds|medicines?|regimen|dose|doses|treatment)\b[, ]*(?:which (?:is|are)|of|,)?\s*/i;

/** Verbs a patient can act on at home ("Advised to weigh herself every day" -> "Weigh yourself every day"). */
const CARE_VERBS = new Set(
  (
    'take use apply ice rest elevate wear weigh check record monitor watch avoid cut limit reduce lower eat drink walk exercise stay keep ' +
    'continue try strain stop call get make bring lose quit do sleep massage stretch hold start practice wash clean change write ' +
    'hydrate increase add switch measure contact buy follow see come return push alternate log cover'
  ).split(' '),
);
/** Care that keeps track of a problem rather than treats it. */
const TRACKING = /^(?:keep\s+)?(?:weigh|check|record|monitor|measure|log|keep track|watch (?:your |for )?(?:blood|weight|sugar))/i;
const LIFESTYLE =
  /^(?:cut|limit|reduce|lower|eat|drink|walk|exercise|lose|quit|avoid|watch|stay|do|try|rest|ice|elevate|wear|stretch|keep)\b/i;

const WHEN =
  /\b(?:in|within|after|for)\s+(?:about\s+|another\s+|the next\s+)?(?:\d+|a|an|one|two|three|four|five|six|a couple(?: of)?|a few)(?:\s+(?:to|or)\s+\d+)?\s+(?:days?|weeks?|months?|years?)\b|\btoday\b|\btomorrow\b|\bnext (?:week|month|year)\b/i;

/** "the knee" in a plan item is the patient's: "your knee". */
const THE_BODY_PART =
  /\b(?:the|that|this) (?=(?:(?:right|left) )?(?:knees?|back|arms?|elbows?|shoulders?|hands?|wrists?|ankles?|foot|feet|legs?|neck|fingers?|hips?|toes?|urine|diet|weight|skin|face|chest|stomach|bowels|scars?)\b)/gi;

/** A note-style plan item written to the patient: "her", "his", "the patient" become "your", "you". */
function toYou(text: string, who: PatientReference): string {
  let x = ` ${text} `;
  for (const possessive of new Set([who.possessive, 'their'])) x = x.replace(new RegExp(`\\b${possessive}\\b(?= [a-z])`, 'gi'), 'your');
  x = x.replace(/\bthe patient's\b/gi, 'your').replace(/\bthe patient\b/gi, 'you');
  if (who.subject !== 'the patient')
    x = x.replace(new RegExp(`\\b${who.subject} (?:is|has)\\b`, 'gi'), (m) => (/is$/.test(m) ? 'you are' : 'you have'));
  x = x
    .replace(/\b(?:she|he|they) (?=\w)/gi, 'you ')
    .replace(/\b(?:him|them)\b/gi, 'you')
    .replace(/\bherself\b|\bhimself\b|\bthemselves\b|\bthemself\b/gi, 'yourself')
    .replace(
      /\byou (is|has|does|was)\b/gi,
      (_m, v: string) => `you ${{ is: 'are', has: 'have', does: 'do', was: 'were' }[v.toLowerCase()]}`,
    )
    .replace(THE_BODY_PART, 'your ')
    .replace(
      /\b(?:that|those|this|these)\s+(?=(?:heart |\w+ )?(?:murmur|symptoms?|swelling|pain|area|rash|wound|scars?|spot)\b)/gi,
      'the ',
    );
  x = x
    .replace(/\s*'cause\b/gi, ' because')
    .replace(/\b(?:it is|it's|that is|that's)\s+(?=\d)/gi, '')
    .replace(/\bkeep up (?=\w+ing\b)/gi, 'keep ');
  for (const [re, plain] of PLAIN_DOSING) x = x.replace(re, plain);
  return x.replace(/\s{2,}/g, ' ').trim();
}

const SMALL_NUMBERS: Record<string, string> = {
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
};

function sentence(text: string): string {
  return capitalize(
    terminate(
      text
        // "every six to 8 hours", "in one to 2 weeks": numbers written one way in a sentence.
        .replace(/\b(one|two|three|four|five|six|seven|eight|nine|ten)(?= to \d)/gi, (w) => SMALL_NUMBERS[w.toLowerCase()]!)
        .replace(/\s+([,.;:])/g, '$1')
        .replace(/\s{2,}/g, ' ')
        .trim(),
    ),
  );
}

/** Words a patient instruction never has: third-person talk about the patient, speech, a dangling end. */
function readsWrong(text: string): boolean {
  return (
    /\b(?:she|he|her|his|him|hers|they|them|their|the patient)\b/i.test(text) ||
    /\b(?:um|uh|okay|ok|gonna|yeah|what|why|questions?|make sense)\b|(?<!would )\blike\b|\b(\w+)\s+\1\b/i.test(text) ||
    // "within you, take", "bring you into", "monitoring you", "your that prescription", "to help 2 days' worth".
    /\byou,|\b(?:bring|monitor\w*|watch\w*|check\w*|see\w*) you\b|\b(?:your|this|that) (?:that|this|the|a|an|those)\b|\bto help(?: \d|[,.]|$)/i.test(
      text,
    ) ||
    /\b(?:to|for|with|of|the|a|an|and|or|that|this|your|on|in|at|some|any|is|be|are|am|was|were|hopefully|also)[.,]?$/i.test(
      text.replace(/[.]$/, '').trim(),
    ) ||
    // Given in hospital, or the clinician's own task ("call with the results").
    /\b(?:through the iv|intravenous\w*|call with)\b/i.test(text)
  );
}

/** The words after the verb: nothing, or only a pronoun ("Continue this", "Rest it"), say nothing a patient can act on. */
function vague(obj: string): boolean {
  const content = obj
    .replace(/\b(?:it|that|this|them|those|these|things?|for now|right now|as well|too|again|also|then)\b/gi, '')
    .replace(/[^a-z0-9]/gi, '');
  return content.length < 3;
}

/** The medicine an item's object starts with ("the lisinopril 20 mg", "some pain medicine"), or null. */
function drugIn(text: string, lexicon: DrugLexicon | undefined): string | null {
  const lead = (i: number): boolean =>
    /^(?:(?:the|your|their|his|her|some|an?|on|with|an extra dose of|a higher dose of|a lower dose of|\d+(?:\.\d+)? ?(?:mg|milligrams?|mcg|units?) of)\s+)*$/i.test(
      text.slice(0, i),
    );
  const hit = lexicon?.find(text)[0];
  if (hit && lead(hit.index)) return hit.name;
  const generic = MEDICINE_WORDS.exec(text);
  return generic && lead(generic.index) ? generic[0].toLowerCase() : null;
}

/** "because blood pressure's high", "as needed for pain", "to help with the swelling": the item says why already. */
const OWN_REASON =
  /\b(?:because|as needed|for (?:pain|the pain|swelling|sleep)|to (?:help|treat|check|evaluate|rule out|look|make sure|see|prevent|strengthen|reduce|keep|control))\b/i;

/** The plan item as an instruction to the patient, or null when it asks nothing of them (or cannot be written plainly). */
export function instructionFor(item: string, who: PatientReference, lexicon?: DrugLexicon): Instruction | null {
  const s = item
    .replace(/[.]+$/, '')
    .replace(/\s*'cause\b/gi, ' because')
    .replace(/^Advised to\s+/i, '')
    .trim();
  const made = rewrite(s, who, lexicon);
  if (!made || readsWrong(made.text) || made.text.split(/\s+/).length < 3 || /^Make an appointment\.$/i.test(made.text)) return null;
  return made;
}

function rewrite(s: string, who: PatientReference, lexicon: DrugLexicon | undefined): Instruction | null {
  let m: RegExpExecArray | null;
  const when = WHEN.exec(s)?.[0] ?? '';
  const medicine = (text: string, key: string, change?: Instruction['change'], reason: Instruction['reason'] = 'treat'): Instruction => ({
    kind: 'medicine',
    text: sentence(text),
    key,
    ...(change ? { change } : {}),
    hasReason: OWN_REASON.test(text),
    reason,
  });
  const take = (obj: string): string => (APPLIED.test(obj) ? 'use' : 'take');
  const taking = (obj: string): string => gerund(take(obj));

  // Continue: the medicines the patient takes now.
  if ((m = /^(?:Continue|Keep|Stay on|Keep (?:taking|using)|Continue (?:taking|using))\s+(?!to\b)(.+)$/i.exec(s))) {
    const obj = toYou(
      m[1]!.replace(/^(?:(?:the patient|you|him|her|them|she|he)\s+on\s+)?(?:on\s+|with\s+)?(?:the\s+|your\s+)?(?=\S)/i, ''),
      who,
    );
    const current = CURRENT.exec(obj);
    if (current) {
      const rest = obj.slice(current[0].length).replace(/^(?:which (?:is|are)|of|,)\s*/i, '');
      const drug = drugIn(rest, lexicon);
      return drug
        ? medicine(`Keep taking ${rest}`, drug)
        : /regimen|treatment/i.test(current[0])
          ? medicine('Keep following your current treatment plan', 'current medicines')
          : medicine('Keep taking all your current medicines as before', 'current medicines');
    }
    const drug = drugIn(obj, lexicon);
    if (drug) return medicine(`Keep ${taking(obj)} ${obj}`, drug);
    // "Continue pilates", "continue your exercises": an activity to keep up; anything else is not written as one.
    if (
      !/^(?:your |the )?(?:home |daily )?(?:exercises?|diet|pilates|yoga|walking|swimming|physical therapy|stretch\w*|strengthening|activity|routine|program|brace|wrap|splint)\b/i.test(
        obj,
      )
    )
      return null;
    return care(`Keep ${/^\w+ing\b/i.test(obj) ? '' : 'up '}${obj.replace(/^the\s+/i, 'your ')}`, obj);
  }
  if (
    (m =
      /^(?:Start|Restart|Prescribe|Begin|Add|Give|Put you on|Recommend putting you on)\s+(?!by\b|off\b|with\b)(?:you on\s+)?(?:some\s+|a prescription for\s+|a medicine called\s+)?(.+)$/i.exec(
        s,
      ))
  ) {
    const obj = toYou(m[1]!, who);
    const drug = drugIn(obj, lexicon);
    // "Give a thumb spica for today", "Prescribe crutches": a device the patient wears or uses.
    const device = DEVICE.exec(obj);
    if (!drug && device)
      return care(`${/crutch|walker|cane/i.test(device[1]!) ? 'Use' : 'Wear'} the ${device[1]!.toLowerCase()}`, device[1]!);
    if (!drug) return null;
    return medicine(`Start ${taking(obj)} ${obj}`, drug, 'new');
  }
  if ((m = /^(?:Order|Refill)\s+(.+)$/i.exec(s)) && drugIn(m[1]!, lexicon) && !TESTS.some((t) => t.re.test(m![1]!))) {
    const obj = toYou(m[1]!.replace(/,?\s*\d+\s+refills?\b/i, ''), who);
    const drug = drugIn(obj, lexicon)!;
    return /^Refill/i.test(s)
      ? medicine(`Keep ${taking(obj)} ${obj}; you will get a refill`, drug)
      : medicine(`${capitalize(take(obj))} ${obj}`, drug, 'new');
  }
  if ((m = /^(?:Increase|Decrease|Reduce|Lower)\s+(?:the\s+|your\s+)?(.+)$/i.exec(s))) {
    const up = /^Increase/i.test(s);
    const obj = toYou(m[1]!, who);
    const drug = drugIn(obj, lexicon);
    if (!drug) return null;
    const to = /^(.+?)\s+(?:up\s+)?to\s+(\d.+)$/i.exec(obj);
    const because = /,?\s+(because .+)$/i.exec(to?.[2] ?? obj);
    const dose = (to?.[2] ?? '').replace(/,?\s+because .+$/i, '').replace(/\s+(?:to|and|so)\s+\w+.*$/i, '');
    const reasonSaid = because
      ? `, ${because[1]!.replace(/\b(\w+)'s\b/g, '$1 is').replace(/^because (?!your\b)(?=(?:blood|sugar|cholesterol|weight|heart|a1c)\b)/i, 'because your ')}`
      : '';
    const text = dose
      ? `Take ${to![1]} ${dose} from now on, a ${up ? 'higher' : 'smaller'} dose than before${reasonSaid}`
      : `Take a ${up ? 'higher' : 'smaller'} dose of ${obj.replace(/,?\s+because .+$/i, '')}${reasonSaid}`;
    return medicine(text, drug, up ? 'higher' : 'lower');
  }
  if ((m = /^(?:Stop|Discontinue|Hold|Come off)\s+(?:taking\s+|the\s+|your\s+)?(.+)$/i.exec(s))) {
    const obj = toYou(m[1]!, who);
    const drug = drugIn(obj, lexicon);
    if (drug)
      return {
        kind: 'medicine',
        text: sentence(`Stop taking ${obj}${/^Hold/i.test(s) ? ' for now' : ''}`),
        key: drug,
        change: 'stop',
        hasReason: true,
      };
  }

  // Tests and procedures.
  const test = TESTS.find((t) => t.re.test(s));
  if (
    test &&
    /^(?:Order|Obtain|Repeat|Check|Recheck|Perform|Draw|Get|Send off|Send|Screen|Arrange|Schedule|Complete|Do|Set up)\b/i.test(s)
  ) {
    if (/\b(?:today in the office|in the office today)\b/i.test(s)) return null;
    // A procedure said as "perform" is done in the room or only considered; one the patient books is scheduled or ordered.
    if (test.procedure && !/^(?:Order|Schedule|Arrange|Set up|Book)\b/i.test(s)) return null;
    const again = /^(?:Repeat|Recheck)\b|\b(?:another|repeat|follow-up)\b/i.test(s);
    const own = /\s+(?:to|for)\s+((?:evaluate|check|look|rule out|make sure|see)\b.{6,}|(?:that|the|your) (?:heart )?murmur)$/i.exec(s);
    const why = own
      ? ` to ${toYou(own[1]!, who)
          .replace(/^(?:that|the|your) /i, 'check the ')
          .replace(/^evaluate\b/i, 'check')
          .replace(/^rule out (?:any )?/i, 'check for ')}`
      : '';
    const where =
      /\b(?:mri|ct scan|ct|x-?rays?|ultrasound)\b[^.,]{0,25}?\b(of\s+(?:the\s+|your\s+|his\s+|her\s+)?[a-z]+(?:\s+and\s+[a-z]+|\s+(?!to\b|for\b|in\b|and\b)[a-z]+)?)/i.exec(
        s,
      );
    const place = where && !test.blood ? ` ${toYou(where[1]!.replace(/^of\s+(?:the\s+|his\s+|her\s+)?/i, 'of your '), who)}` : '';
    const at = when ? ` ${when.replace(/^for the future$/, '')}` : '';
    let text: string;
    if (test.procedure) {
      const named = s.match(/\b(?:upper endoscopy|endoscopy|colonoscopy|egd)\b/gi) ?? [];
      text = `Make an appointment for your ${[...new Set(named.map((x) => x.toLowerCase()))].join(' and ')}${at}`;
    } else if (test.blood) {
      const routine = /\broutine\b/i.test(s) && !/^routine/.test(test.plain) ? test.plain.replace(/^(?:an? )?/, 'routine ') : test.plain;
      text = `Get your blood drawn${again ? ' again' : ''} for ${routine}${at}`;
    } else if (test.urine) text = `Give a urine sample for ${test.plain}${at}`;
    else text = `Get ${again ? test.plain.replace(/^an? /, 'another ') : test.plain}${place}${at}`;
    return { kind: 'test', text: sentence(`${text}${why}`), key: test.key, hasReason: why !== '', reason: 'check' };
  }

  // Appointments: referrals and follow-up visits.
  if (
    (m =
      /^(?:Order (?:a )?referral to|Send (?:a )?referral to|Place (?:a )?referral to|Refer|Send)\s+(?:you\s+|him\s+|her\s+|the patient\s+)?(?:(?:to|over to|back to)\s+)?(.+)$/i.exec(
        s,
      )) ||
    (m = /^Order (.+?) referral$/i.exec(s))
  ) {
    return referral(toYou(m[1]!, who));
  }
  if ((m = /^(?:Follow up|Return|Come back|See you|See us)\b\s*(.*)$/i.exec(s))) {
    const rest = m[1] ?? '';
    if (when && !/\bwith\b/i.test(rest.split(when)[0] ?? ''))
      return {
        kind: 'appointment',
        text: sentence(`Schedule a follow-up appointment ${when}`),
        key: 'follow-up',
        hasReason: false,
        reason: 'check',
      };
    const w = /^with\s+(.+?)(?:\s+(?:and|to|so|because|for)\b.*)?$/i.exec(rest.trim());
    if (w && !vague(w[1]!) && /(?:ist|doctor|dr\.?|surgeon|specialist|clinic|office|me|us)\b/i.test(w[1]!))
      // A visit with someone else (the endocrinologist) is not the follow-up visit here.
      return {
        kind: 'appointment',
        text: sentence(`See ${toYou(w[1]!, who)} for a follow-up visit`),
        key: `follow-up with ${w[1]!.toLowerCase()}`,
        hasReason: false,
      };
    return null;
  }
  if ((m = /^(?:Schedule|Arrange|Book)\s+(?:an?\s+|the\s+)?(.+)$/i.exec(s))) {
    const obj = toYou(m[1]!, who);
    if (vague(obj) || /^(?:for|up|with|appointment|an appointment)\b/i.test(obj)) return null;
    return {
      kind: 'appointment',
      text: sentence(`Make an appointment for ${/^(?:your|an?)\b/i.test(obj) ? '' : 'your '}${obj}`),
      key: obj.toLowerCase(),
      hasReason: false,
    };
  }
  if ((m = /^Place (?:you )?(?:in|into)\s+(?:an?\s+|the\s+)?(.+)$/i.exec(s)) && DEVICES.test(m[1]!)) {
    const device = DEVICES.exec(m[1]!)![0];
    return care(`Wear the ${device.toLowerCase()}`, device);
  }

  // Care at home, from the clinician's advice.
  if (/^(?:Order|Obtain|Perform|Check|Get(?! a scale\b)|Place|Draw|Send|Screen|Refill|Repeat|Discussed|Reviewed)\b/i.test(s)) return null;
  const first = s.split(/\s+/)[0]!.toLowerCase();
  if (!CARE_VERBS.has(first)) return null;
  // "Monitor after surgery", "See how she is doing", "Use shock waves to ...", "Rest makes it feel better", "Call it out":
  // what the clinician will do, explains or says to the room.
  if (/^(?:\S+)\s+(?:after|before|by|how|if|whether|what|where|when|makes|is|are|was|will|can|helps|does|not see|not think)\b/i.test(s))
    return null;
  if (/^(?:\S+)\s+(?:it|them)\b(?!\s+(?:easy|off|elevated|clean|dry|covered|up)\b)/i.test(s)) return null;
  if (/^push\b/i.test(s) && !/^push fluids\b/i.test(s)) return null;
  if (/\b(?:will|can|would) help\b|(?<!because )\b(?:that|which) (?:will|can|would|may)\b|\bkeep in mind\b|\ban eye on\b/i.test(s))
    return null;
  if (/^see\b/i.test(s) && !/^see (?:an?|the|that|your|dr\.?)\s/i.test(s)) return null;
  if (/^see\b/i.test(s) && !/(?:ist|doctor|dr\.?|specialist|surgeon)\b/i.test(s.split(/\s+/).slice(0, 4).join(' '))) return null;
  if (/^see\b/i.test(s)) return referral(toYou(s.replace(/^see\s+(?:that\s+)?/i, ''), who), 'See');
  if (
    /^(?:take|use|apply)\b/i.test(s) &&
    !drugIn(s.replace(/^\S+\s+/, ''), lexicon) &&
    !DEVICES.test(s) &&
    !/\b(?:ice|heat|a scale)\b/i.test(s)
  )
    return null;
  if (/\b(?:here|on the table|this table|for me|palm side|right here)\b/i.test(s)) return null;
  let text = toYou(s, who);
  text = text
    .replace(/^continue to (\w+)/i, (_x, v: string) => `Keep ${gerund(v)}`)
    .replace(/^(?:keep|continue) up (?=\w+ing\b)/i, 'Keep ')
    .replace(/^get a scale,\s*/i, 'Get a scale and ')
    .replace(/^(?:try to )?cut down on\b/i, (x) => x.replace(/cut down/i, 'cut back'))
    .replace(/\band see how you are doing$/i, 'so we can check on your progress')
    .replace(/^see that\b/i, 'See the');
  if (vague(text.replace(/^\S+\s*/, '')) || /^keep \w+ing (?:that|this)\b/i.test(text) || /^try to \w+$/i.test(text)) return null;
  // "Keep icing it": only with the injury it is for named after it ("... to help your lumbar strain heal").
  if (/^keep \w+ing it\b/i.test(text)) return { ...care(text, text), needsTopic: true };
  if (/^(?:come back|return|follow up|see (?:us|me))\b/i.test(text) && when)
    return { kind: 'appointment', text: sentence(text), key: 'follow-up', hasReason: true };
  const drug = /^(?:take|use|apply)\b/i.test(text) ? drugIn(text.replace(/^\S+\s+/, ''), lexicon) : null;
  if (drug) return medicine(text, drug);
  return care(text, text.toLowerCase());
}

/** A device given to wear or use ("a thumb spica", "a knee brace", "crutches"), with nothing after it but when. */
const DEVICE =
  /^(?:(?:an?|the|some|your|a pair of)\s+)?((?:(?:thumb|wrist|knee|ankle|back|walking|hinged|straight leg|right|left)\s+){0,2}(?:spica|brace|splint|sling|boot|cast|crutches|walker|cane))(?:\s+for (?:today|now|comfort|support))?$/i;

function care(text: string, key: string): Instruction {
  const t = sentence(text);
  return {
    kind: 'care',
    text: t,
    key: key.toLowerCase(),
    hasReason: OWN_REASON.test(t),
    ...(TRACKING.test(t) ? { reason: 'track' as const } : LIFESTYLE.test(t) ? { reason: 'help' as const } : {}),
  };
}

function referral(target: string, lead = 'We are sending you to'): Instruction | null {
  let t = target
    .replace(/,?\s*(?:and\s+)?schedule (?:that|the) appointment$/i, '')
    .replace(/,?\s+(?:who|which|or the other)\b.*$/i, '')
    .replace(/^(?:an?\s+)?(\w+)ology\b(?!\s+(?:clinic|department))/i, (_x, stem: string) => `${stem}ologist`)
    .replace(/\bdr\.?\s+([a-z])([a-z]+)/gi, (_x, a: string, b: string) => `Dr. ${a.toUpperCase()}${b}`)
    .trim();
  if (vague(t) || !SPECIALIST_WORD.test(t) || /^(?:it|that|this|them|some)\b|\bif\b/i.test(t)) return null;
  const own = /\s+(?:to|for)\s+((?:help|strengthen|evaluate|check|see|look)\b.+)$/i.exec(t);
  const why = own ? ` to ${own[1]!.replace(/^evaluate\b/i, 'check')}` : '';
  if (own) t = t.slice(0, own.index);
  if (t.split(/\s+/).length > 8) return null;
  const span = /\s+for\s+((?:about |approximately )?\d+(?:\s+to\s+\d+)?\s+(?:weeks?|months?))$/i.exec(t);
  if (span) t = t.slice(0, span.index);
  const therapy = /\b(physical|occupational|speech) therapy\b/i.exec(t);
  if (therapy)
    return {
      kind: 'appointment',
      text: sentence(`Go to ${therapy[0].toLowerCase()}${span ? ` for ${span[1]}` : ''}${why}`),
      key: therapy[0].toLowerCase(),
      hasReason: why !== '',
      reason: 'help',
    };
  const plain = SPECIALISTS.find(([re]) => re.test(t));
  const name = t.replace(/^(?:an?|the|your)\s+/i, '');
  const article = /^Dr\./.test(name) ? '' : /^(?:[aeio]|u(?!r|s|n))/i.test(name) ? 'an ' : 'a ';
  const described = plain && !new RegExp(`^${plain[1]}$`, 'i').test(`${article}${name}`) ? `, ${plain[1]}` : '';
  return {
    kind: 'appointment',
    text: sentence(`${lead} ${article}${name}${described}${why ? `${described ? ',' : ''}${why}` : ''}`),
    key: plain ? plain[1] : name.toLowerCase(),
    hasReason: why !== '',
    reason: 'help',
  };
}

function gerund(verb: string): string {
  const v = verb.toLowerCase();
  if (/^(?:stop|jog|get|cut|put|run|swim|sit|quit|plan|log)$/.test(v)) return `${v}${v.slice(-1)}ing`;
  if (/ie$/.test(v)) return `${v.slice(0, -2)}ying`;
  if (/[^e]e$/.test(v)) return `${v.slice(0, -1)}ing`;
  return `${v}ing`;
}

/** Plain words for a diagnosis the visit named; the name itself follows in brackets, as the patient will see it on their record. */
const LAY_TOPICS: Array<[RegExp, string]> = [
  [/^(?:essential )?hypertension$/, 'blood pressure'],
  [/^hyperlipidemia$/, 'cholesterol'],
  [/^(?:type \w+ )?diabetes(?: mellitus)?$/, 'diabetes'],
  [/^(?:congestive heart failure|chf)$/, 'heart failure'],
  [/^copd$/, 'lung disease'],
  [/^(?:cad|coronary artery disease)$/, 'heart arteries'],
  [/^ckd$/, 'kidney disease'],
  [/^(?:afib|atrial fibrillation)$/, 'heart rhythm'],
  [/^uti$/, 'urine infection'],
  [/^gastroesophageal reflux(?: disease)?$/, 'reflux'],
  [/^hypothyroidism$/, 'thyroid'],
];
const CONTROLLED =
  /blood pressure|diabetes|cholesterol|heart failure|thyroid|reflux|asthma|copd|chronic obstructive|lung disease|heart arteries|heart rhythm|depression|anxiety|fibrillation|gout|arthritis|migraines?|kidney disease|lupus|psoriasis|eczema/i;
const HEALS =
  /sprain|strain|fracture|pathy|tendinitis|tendonitis|itis|contusion|injury|injuries|tear|wound|ulcer|infection|cellulitis|stones?|bronchitis|pneumonia/;
/** Problem names that are visits, procedures or not a condition at all: no reason names them. */
const NOT_A_REASON =
  /\b(?:exam|examination|physical|check-?up|visit|surgery|ectomy|plasty|transplant|pregnancy|pain|for|this|that|best|some|any|treatment|problem|issue)\b/;

/** Care that treats a lasting problem (diet, salt, exercise, weight), and care that lets an injury heal. */
const DIET_EXERCISE =
  /\b(?:diet|salt|sodium|sugar|carb\w*|alcohol|caffeine|fluids|exercise|walk\w*|weight|smok\w*|food|foods|eat\w*|activity)\b/i;
const RESTING =
  /^(?:try to |try not to )?(?:rest|ice|elevate|wear|avoid|stay off|keep icing|keep resting|keep elevating|keep wearing|hold off|use (?:the |some |your )?(?:crutches|sling|brace|splint|boot|ice))\b/i;

function topicOf(problem: string): string {
  const p = problem.toLowerCase().replace(/\b(?:acute|chronic|little|mild|slight|probable|possible)\s+/g, '');
  // "nephrolithiasis or kidney stone": the plain name, then the medical one.
  const or = /^(.+?) or (.+)$/.exec(p);
  if (or) return `${or[2]} (${or[1]})`;
  for (const [re, lay] of LAY_TOPICS) if (re.test(p)) return p.includes(lay) ? lay : `${lay} (${abbreviationsInCapitals(p)})`;
  return p;
}

function withReason(ins: Instruction, topic: string | null, medicineChanged: 'new' | 'dose' | null): string {
  if (ins.hasReason || !ins.reason) return ins.text;
  // A follow-up visit is for seeing how the patient does, whatever the problem.
  if (!topic) return ins.key === 'follow-up' ? `${ins.text.replace(/\.$/, '')} so we can check on your progress.` : ins.text;
  const base = ins.text.replace(/\.$/, '');
  const controlled = CONTROLLED.test(topic);
  const heals = HEALS.test(topic);
  switch (ins.kind) {
    case 'medicine':
      if (ins.change === 'higher' || ins.change === 'lower') return `${base}, to help control your ${topic}.`;
      return controlled
        ? `${base} to help control your ${topic}.`
        : heals || ins.change === 'new'
          ? `${base} for your ${topic}.`
          : ins.text;
    case 'test':
      // A test that measures one problem (an A1c, diabetes) is never said to be for another.
      if (TEST_FAMILY[ins.key] && !TEST_FAMILY[ins.key]!.test(topic)) return ins.text;
      return medicineChanged && TEST_FAMILY[ins.key]
        ? `${base} so we can see whether the new ${medicineChanged === 'new' ? 'treatment' : 'dose'} is working.`
        : `${base} to check on your ${topic}.`;
    case 'appointment':
      return ins.key === 'follow-up' ? `${base} so we can check on your ${topic}.` : `${base} to help with your ${topic}.`;
    case 'care':
      if (ins.reason === 'track') return `${base} to keep track of your ${topic}.`;
      if (ins.reason === 'help' && controlled && DIET_EXERCISE.test(base)) return `${base} to help your ${topic}.`;
      if (ins.reason === 'help' && heals && RESTING.test(base)) return `${base} to help your ${topic} heal.`;
      return ins.text;
    default:
      return ins.text;
  }
}

/** The problem a plan item belongs to: the one its turn names, else the one just introduced before it (a few turns back). */
function problemOf(e: { at: number; said: string; text: string }, mentions: ProblemMention[], window: number): ProblemMention | null {
  const usable = mentions.filter((m) => !NOT_A_REASON.test(m.name));
  const said = nearItem(e.said, e.text);
  const named = [...new Set(usable.filter((m) => mentionsProblem(m.name, `${said} ${e.text}`)).map((m) => m.name))];
  if (named.length === 1) {
    const of = usable.filter((m) => m.name === named[0]);
    return of.filter((m) => m.at <= e.at).pop() ?? of[0]!;
  }
  if (named.length > 1) return null;
  // The problem under discussion: introduced a few sentences before ("for your diabetes." "let's increase the metformin").
  const before = usable.filter((m) => m.at <= e.at && e.at - m.at <= window);
  const last = before.at(-1);
  // Two problems discussed in those turns: the item may belong to either.
  if (!last || new Set(before.map((m) => topicOf(m.name))).size > 1) return null;
  return last;
}

/**
 * The problem a test that measures one problem (an A1c, diabetes) is for when its own words name none: that problem, when
 * the visit named it. Nothing else takes a reason from the visit as a whole: the problems the rules find are not all the
 * visit discussed (a visit naming only depression may order a heart ultrasound for something never named).
 */
function visitProblem(ins: Instruction, at: number, mentions: ProblemMention[]): ProblemMention | null {
  const family = ins.kind === 'test' ? TEST_FAMILY[ins.key] : undefined;
  if (!family) return null;
  const of = mentions.filter((m) => !NOT_A_REASON.test(m.name) && family.test(topicOf(m.name)));
  return of.filter((m) => m.at <= at).pop() ?? of[0] ?? null;
}

/**
 * The words said just before and around the item: an unpunctuated turn runs on across several problems, and only the
 * problem named next to the item is its own ("... murmur on your heart exam ... i'll order some routine labs").
 */
function nearItem(said: string, item: string): string {
  const word = item
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .find(
      (w) =>
        w.length >= 4 &&
        !/^(?:order|repeat|start|continue|advised|increase|decrease|prescribe|refer|schedule|some|your|their|with)$/.test(w),
    );
  const at = word ? said.toLowerCase().indexOf(word) : -1;
  return at < 0 ? said : said.slice(Math.max(0, at - 120), at + 60);
}

/** A medicine's use as said ("for the pain and swelling"). */
const USE_SAID = /,?\s*for (?:the |your |any )?(?:pain|swelling|inflammation)(?: and (?:the )?(?:pain|swelling|inflammation))?\b/i;

/** How to take a medicine, said as its own item right after it ("Advised to take it at night"). */
const HOW_TO_TAKE =
  /^(?:Advised to )?(?:take|use|apply) (?:it|that|them|this)\s+((?:\d+ times a day|once a day|twice (?:a day|daily)|daily|at night|at bedtime|(?:the )?first thing in the morning|in the morning|with (?:food|meals|a meal)|on an empty stomach|every \d+(?: to \d+)? hours)\b[^.]*)\.?$/i;

/** How long and how often, said right after the item ("ice the knee ... for 20 minutes at a time, 3 to 4 times a day"). */
const HOW_OFTEN =
  /\b(?:for (?:about )?\d+ (?:minutes|min)(?: at a time)?(?:,? (?:for )?(?:\d+ to )?\d+ times a day)?|(?:\d+ to )?\d+ times a day|once an hour|every \d+(?: to \d+)? hours)\b/i;

/**
 * Home care said without how often, when the clinician said it in the same breath. Never a medicine: its dose and
 * frequency come only from the statement that names it.
 */
function withHowOften(ins: Instruction, e: PlanEntry): Instruction {
  if (ins.kind !== 'care' || /\d|\b(?:once|twice|daily|every|as needed|times)\b/i.test(ins.text)) return ins;
  const said = writeQuantities(cleanSpoken(e.said), (x) => (numbersIn(x).length === 1 ? numbersIn(x)[0]! : null)).replace(
    /\b(one|two|three|four|five|six|seven|eight|nine|ten)(?= to \d)/gi,
    (w) => SMALL_NUMBERS[w.toLowerCase()]!,
  );
  const word = ins.text
    .replace(/^(?:keep|start|try to)\s+/i, '')
    .split(/\s+/)[0]!
    .toLowerCase()
    .replace(/ing$/, '');
  const at = said.toLowerCase().indexOf(word);
  if (at < 0 || word.length < 3) return ins;
  const after = said.slice(at, at + 140);
  const often = HOW_OFTEN.exec(after);
  // Only when nothing else is said between the item and the timing (not another item's "twice a day").
  if (!often || /\b(?:and then|also|i'm|we'll|i will|we will)\b/i.test(after.slice(0, often.index))) return ins;
  return {
    ...ins,
    text: sentence(
      `${ins.text.replace(/\.$/, '')} ${often[0].replace(/(\d+ min(?:utes)? at a time),? (?=(?:for )?(?:\d+ to )?\d+ times)/i, '$1, ').replace(/, for /, ', ')}`,
    ),
  };
}

/** What a medicine is for, said right after it ("i'll prescribe some mobic ... as a pain reliever and to get the swelling down"). */
const MEDICINE_USE =
  /^[^.?!;]{0,50}?\b(?:as an? (?:pain reliever|anti-inflammatory)|for (?:the |your |any )?(?:pain|swelling|inflammation)|to (?:help )?(?:with |get |bring |reduce |take )?(?:the |some of the |your |down the )?(?:pain|swelling|inflammation))\b[^.?!;]{0,40}/i;

/** A medicine without a reason takes the use the clinician gave it in the same breath: for pain, for swelling. */
function withMedicineUse(ins: Instruction, e: PlanEntry): Instruction {
  if (ins.kind !== 'medicine' || ins.hasReason || ins.change === 'stop') return ins;
  const said = cleanSpoken(e.said).toLowerCase();
  const at = said.indexOf(ins.key.toLowerCase());
  const use = at < 0 ? null : MEDICINE_USE.exec(said.slice(at + ins.key.length));
  // Only the medicine's own words: not "if the pain ...", not another medicine named first.
  if (
    !use ||
    /\b(?:if|instead|stop|and then|also)\b/.test(use[0].slice(0, use[0].search(/pain|swelling|inflammation|reliever|anti-inflammatory/)))
  )
    return ins;
  const what = ['pain', 'swelling', 'inflammation'].filter((w) => use[0].includes(w) || (w === 'pain' && use[0].includes('pain reliever')));
  if (what.length === 0) return ins;
  return { ...ins, text: sentence(`${ins.text.replace(/\.$/, '')} for ${what.join(' and ')}`), hasReason: true };
}

/** A test without a reason takes the purpose the clinician gave for it nearby ("to see where the nerve roots may be compressed"). */
function withPurpose(ins: Instruction, at: number, advice: VisitAdvice[]): Instruction {
  if (ins.kind !== 'test' || ins.hasReason) return ins;
  const near = advice
    .filter((a) => a.kind === 'purpose' && a.key === ins.key && Math.abs(a.at - at) <= PURPOSE_WINDOW)
    .sort((a, b) => Math.abs(a.at - at) - Math.abs(b.at - at))[0];
  if (!near) return ins;
  return { ...ins, text: sentence(`${ins.text.replace(/\.$/, '')} ${near.text}`), hasReason: true, purpose: near.evidence };
}
/** Utterances apart: an order is often placed well after the clinician explained it. */
const PURPOSE_WINDOW = 60;

/** A return precaution the clinician gave ("call me if you gain 3 pounds in 2 days"): when to call, in plain words. */
const CALL_THEN_IF =
  /\b(call (?:me|us|the office|the clinic|our office)|give (?:me|us) a call|let (?:me|us) know|come (?:back )?in sooner|come (?:on )?back|go to the (?:er|emergency room|emergency department))\b[^.?]*?\bif\s+(.+?)(?=[,.;?]|\s+(?:and|but|okay|so|then|for)\b|$)/i;
const IF_THEN_CALL =
  /\bif\s+(.+?),\s*(?:then\s+)?(?:please\s+|just\s+|you can\s+)?(call (?:me|us|the office|the clinic)|give (?:me|us) a call|let (?:me|us) know|come (?:on )?back|come in|go to the (?:er|emergency room|emergency department))\b/i;
const WORTH_CALLING =
  /\b(?:worse|worsening|gets? worse|not (?:getting )?better|doesn't get better|does not get better|gain|gaining|weight|pain|fever|bleeding|swelling|symptoms?|breath|breathing|episodes?|vomiting|redness|numbness|weakness|dizzy|dizziness|chest)\b/i;

/** Something the clinician told the patient directly: when to come back, when to call, what a test is for. */
export interface VisitAdvice {
  kind: 'appointment' | 'call' | 'purpose';
  text: string;
  evidence: string[];
  at: number;
  /** For a purpose: the test it is for (a TESTS key). */
  key?: string;
}

/** What a test is for, said right after it ("an mri of the neck, so we can see where the nerve roots may be compressed"). */
const PURPOSE_LEAD =
  /^([^.?!;]{0,45}?)(?:,\s*|\s+)(?:just\s+)?(to see|to make sure|to check|to look and see|to look|to rule out|to evaluate|to assess|so (?:that )?(?:we|i) can see)\b\s+([^.?!;,]+)/i;

/** The problem a test that measures one problem checks on, as the visit says it. */
const FAMILY_WORDS: Record<string, RegExp> = {
  a1c: /\b(?:type (?:2|two) )?diabetes\b|\bblood sugars?\b/i,
  lipids: /\bcholesterol\b/i,
  thyroid: /\bthyroid\b/i,
  anemia: /\banemia\b/i,
};

const PURPOSE_GAP = /\b(?:can|will|would|could|is|are|was|tell|need|if|want|and|but|then|which|that)\b/i;

/** The purpose clause as words to the patient, or null when it cannot be said plainly (first person, speech, a dangling end). */
function purposeClause(lead: string, rest: string): string | null {
  const clause = rest
    .replace(/\s+(?:and then|and i|and we|and so|okay|how does|(?:does|do|is) (?:that|this)|that's|because|but)\b.*$/i, '')
    .replace(/\s+so$/i, '')
    .trim();
  const verb = lead
    .toLowerCase()
    .replace(/^so (?:that )?(?:we|i) can see$/, 'so we can see')
    .replace(/^to look and see$/, 'to see')
    .replace(/^to (?:evaluate|assess)$/, 'to check')
    .replace(/^to rule out$/, 'to check for');
  const text = `${verb} ${clause.replace(/^(?:any|some)\s+(?=\w)/i, verb === 'to check for' ? '' : '$&')}`;
  const words = clause.split(/\s+/).length;
  if (words < 2 || words > 14) return null;
  // First person, third person, speech, or nothing definite ("to look into this", "that it's not something else").
  if (
    /\b(?:i|i'm|i'll|me|my|he|she|his|her|him|they|them|their|you know|kind of|sort of|this|it|it's|something|anything|until)\b/i.test(
      clause,
    ) ||
    /^to see (?:a|an|the|your)\b/i.test(`${lead} ${clause}`)
  )
    return null;
  // A purpose that names a test ("to check some of your blood tests") says nothing more.
  // "what" in a purpose ("to see what the blood supply is like") asks nothing.
  const asked = text.replace(/\bwhat\b(.*)\b(?:is|are) like$/i, 'how$1looks').replace(/\bwhat\b/gi, 'how');
  if (readsWrong(`Get it ${asked}.`) || TESTS.some((t) => t.re.test(clause))) return null;
  return text.replace(/\b(?:those|these)\b/gi, 'the');
}

const COME_BACK =
  /\b(?:see (?:you|her|him|them)(?: again| back)?|have you come back|come back(?: to see (?:me|us))?|follow up(?: with (?:me|us))?|return(?: to (?:the )?(?:clinic|office))?|recheck you|check on you)\s+(?=(?:in|within|after)\s)/i;

/**
 * What the clinician told the patient directly about coming back: the follow-up interval ("i want to see you again in two
 * weeks") and the return precautions ("call me if you gain three pounds in two days").
 */
export function visitAdvice(utterances: Utterance[]): VisitAdvice[] {
  const out: VisitAdvice[] = [];
  utterances.forEach((u, at) => {
    if (u.speaker === 'patient' || u.speaker === 'other' || u.isQuestion) return;
    const said = cleanSpoken(u.text);
    const back = COME_BACK.exec(said);
    const when = back ? WHEN.exec(said.slice(back.index + back[0].length, back.index + back[0].length + 40)) : null;
    if (back && when && when.index === 0 && !/\b(?:if|when|once|after)\b/i.test(said.slice(0, back.index)))
      out.push({ kind: 'appointment', text: sentence(`Schedule a follow-up appointment ${when[0]}`), evidence: [u.segmentId], at });
    const a = CALL_THEN_IF.exec(said);
    const b = a ? null : IF_THEN_CALL.exec(said);
    const action = (a?.[1] ?? b?.[2] ?? '').toLowerCase();
    let condition = (a?.[2] ?? b?.[1] ?? '').trim();
    condition = condition
      .replace(/^(?:you have |there are )?any questions? (?:or|and)\s+/i, (x) => (/^you have/i.test(x) ? 'you have ' : ''))
      .replace(/\byou're\b/gi, 'you are')
      .replace(/\bit's\b/i, 'it is')
      .replace(/\b(?:it|that|this|things?) (?=(?:gets?|is|are|does|doesn't|do|don't|starts?)\b)/i, 'your symptoms ')
      .replace(
        /\byour symptoms (gets|is|does|starts|doesn't)\b/i,
        (_x, v: string) => `your symptoms ${{ gets: 'get', is: 'are', does: 'do', starts: 'start', "doesn't": "don't" }[v]}`,
      )
      .replace(/\bworsen\b/gi, 'get worse');
    for (const t of TESTS) {
      if (t.procedure) continue;
      // Each time the test is named; the first that says what it is for.
      const hit =
        [...said.matchAll(new RegExp(t.re.source, 'gi'))].find((h) => PURPOSE_LEAD.test(said.slice(h.index + h[0].length))) ??
        t.re.exec(said);
      // Not one done before ("we got an x-ray to see ...") or only considered ("if it gets worse, an mri to see ...").
      if (!hit || /\b(?:if|got|had|did|was|were|last|ago)\b/i.test(said.slice(0, hit.index))) continue;
      const p = PURPOSE_LEAD.exec(said.slice(hit.index + hit[0].length));
      // Only what names the test ("of the neck") between it and its purpose, not another clause ("can tell us if we need").
      const text = p && !PURPOSE_GAP.test(p[1]!.replace(/^\s*and\s*$/i, '')) ? purposeClause(p[2]!, p[3]!) : null;
      // A test that measures one problem, ordered in the turn that names it ("for your diabetes ... order a hemoglobin a1c").
      const problem = FAMILY_WORDS[t.key]?.exec(said);
      const ordered =
        /\b(?:order|get|recheck|repeat|check|draw|do)\b/i.test(said.slice(0, hit.index)) && !/\b(?:was|were|showed)\b/i.test(said);
      const checks = problem && ordered ? `to check on your ${problem[0].toLowerCase().replace(/^type (?:2|two) /, '')}` : null;
      if (text ?? checks) out.push({ kind: 'purpose', key: t.key, text: (text ?? checks)!, evidence: [u.segmentId], at });
    }
    if (!action || !condition || !WORTH_CALLING.test(condition) || condition.split(/\s+/).length > 16) return;
    if (/\b(?:i|we|me|us|my|our|questions?|anything|need|interested|expensive)\b/i.test(condition)) return;
    const verb = /er|emergency/.test(action) ? 'Go to the emergency room' : /come/.test(action) ? 'Come back sooner' : 'Call the clinic';
    out.push({ kind: 'call', text: sentence(`${verb} if ${condition}`), evidence: [u.segmentId], at });
  });
  return out;
}

/**
 * The patient instructions of a visit: one per plan item the patient acts on (repeats dropped, the fullest kept),
 * with the reason its problem gives, then the return precautions the clinician gave; at most `max`, the medicine
 * changes, tests and appointments before advice, written in the order medicines, care, tests, appointments, calls.
 */
export function patientInstructions(
  entries: PlanEntry[],
  mentions: ProblemMention[],
  advice: VisitAdvice[],
  who: PatientReference,
  options: { lexicon?: DrugLexicon; max: number },
): DraftSentence[] {
  type Item = { ins: Instruction; at: number; evidence: string[]; problem: ProblemMention | null };
  const items: Item[] = [];
  const parts = [...entries].sort((a, b) => a.at - b.at).flatMap((e) => itemParts(e.text).map((text) => ({ ...e, text })));
  for (const e of parts) {
    // "Take it at night": how to take the medicine just prescribed, said in the next breath.
    const how = HOW_TO_TAKE.exec(e.text);
    if (how) {
      const meds = items.filter((x) => x.ins.kind === 'medicine' && x.ins.change !== 'stop' && e.at - x.at >= 0 && e.at - x.at <= 2);
      const med = meds.length === 1 ? meds[0]! : null;
      const said = toYou(how[1]!, who);
      if (med && !readsWrong(said) && !med.ins.text.toLowerCase().includes(said.toLowerCase())) {
        // The use already given ("for pain and swelling") stays last, said once: "15 mg daily for pain and swelling".
        const use = / for (?:pain|swelling|inflammation)(?: and (?:pain|swelling|inflammation))?$/.exec(med.ins.text.replace(/\.$/, ''));
        const words = use ? said.replace(USE_SAID, '').trim() : said;
        const base = med.ins.text.replace(/\.$/, '').slice(0, use ? use.index : undefined);
        const timed = /\b(?:once|twice|daily|every|times a day|as needed)\b/i.test(base);
        med.ins = {
          ...med.ins,
          text: sentence(`${base}${timed ? ',' : ''} ${words}${use ? use[0] : ''}`),
          hasReason: med.ins.hasReason || OWN_REASON.test(words),
        };
        med.evidence = [...new Set([...med.evidence, ...e.evidence])];
      }
      continue;
    }
    const made = instructionFor(e.text, who, options.lexicon);
    if (!made) continue;
    const ins = withPurpose(withMedicineUse(withHowOften(made, e), e), e.at, advice);
    const had = items.find((x) => x.ins.kind === ins.kind && x.ins.key === ins.key);
    // A test or a follow-up visit is for the problem its own words name (an A1c for diabetes), not the last one discussed:
    // a visit often orders tests and follow-up for everything at the end.
    const nearby = (ins.kind === 'test' && !IMAGING.has(ins.key)) || ins.key === 'follow-up' ? 0 : 6;
    const item: Item = {
      ins,
      at: e.at,
      evidence: e.evidence,
      problem: problemOf(e, mentions, nearby) ?? visitProblem(ins, e.at, mentions),
    };
    if (!had) {
      items.push(item);
      continue;
    }
    // The same thing said twice: keep the fuller one (a change over "continue", a time, a dose), cite both.
    const better = fuller(ins, had.ins) ? item : had;
    Object.assign(had, { ...better, at: Math.min(had.at, e.at), evidence: [...new Set([...had.evidence, ...e.evidence])] });
  }
  // Several devices ("a cast and a sling") are one instruction.
  const worn = items.filter((x) => x.ins.kind === 'care' && /^Wear the /.test(x.ins.text) && DEVICES.test(x.ins.key));
  if (worn.length > 1) {
    const first = worn[0]!;
    first.ins = { ...first.ins, text: sentence(`Wear ${worn.map((x) => `the ${x.ins.key}`).join(' and ')}`) };
    first.evidence = [...new Set(worn.flatMap((x) => x.evidence))];
    for (const x of worn.slice(1)) items.splice(items.indexOf(x), 1);
  }
  // A follow-up the clinician told the patient but the plan did not keep.
  const followUp = advice.find((a) => a.kind === 'appointment');
  if (followUp && !items.some((x) => x.ins.key === 'follow-up'))
    items.push({
      ins: { kind: 'appointment', text: followUp.text, key: 'follow-up', hasReason: false, reason: 'check' },
      at: followUp.at,
      evidence: followUp.evidence,
      problem: problemOf({ at: followUp.at, said: followUp.text, text: '' }, mentions, 0),
    });
  // Problems whose medicine changed today: a test for them checks whether the change works.
  const changed = new Map<string, 'new' | 'dose'>();
  for (const x of items)
    if (x.problem && x.ins.change && x.ins.change !== 'stop') changed.set(topicOf(x.problem.name), x.ins.change === 'new' ? 'new' : 'dose');
  const calls = dedupe(advice.filter((a) => a.kind === 'call')).slice(0, 2);
  const priority = (x: Item): number =>
    x.ins.kind === 'medicine' ? (x.ins.change ? 0 : 2) : x.ins.kind === 'test' || x.ins.kind === 'appointment' ? 1 : 3;
  const kept = [...items]
    .sort((a, b) => priority(a) - priority(b) || a.at - b.at)
    .slice(0, Math.max(0, options.max - calls.length))
    .sort((a, b) => KIND_ORDER.indexOf(a.ins.kind) - KIND_ORDER.indexOf(b.ins.kind) || a.at - b.at);
  const named = new Set<string>();
  const out: DraftSentence[] = kept.flatMap((x) => {
    let topic = x.problem ? topicOf(x.problem.name) : null;
    // The medical name in brackets once; after that the plain words alone.
    if (topic && named.has(topic)) topic = topic.replace(/\s*\(.*\)$/, '');
    else if (topic) named.add(topic);
    const text = withReason(x.ins, topic, x.problem ? (changed.get(topicOf(x.problem.name)) ?? null) : null);
    if (x.ins.needsTopic && text === x.ins.text) return [];
    const evidence = [...x.evidence, ...(x.ins.purpose ?? []), ...(text !== x.ins.text && x.problem ? [x.problem.segmentId] : [])];
    return [{ text, evidence: [...new Set(evidence)] }];
  });
  for (const c of calls) out.push({ text: c.text, evidence: c.evidence });
  return out;
}

/** A plan item that joins two actions ("Start lisinopril 10 mg daily and see her again in 2 weeks") as one item per action. */
function itemParts(item: string): string[] {
  const parts = item
    .split(
      /,?\s+and\s+(?=(?:see (?:you|her|him|them|the patient) (?:again |back )?(?:in|within)|see (?:a|an|the|that|your) \w+(?:ist|doctor)\b|follow up|come back|return|schedule|order|repeat|refer)\b)|\s+(?=continue (?:the |your |on )?\w+ \d)/i,
    )
    .map((p) => p.replace(/,?\s+(?:and|or|but|so)\s+(?:hopefully|then|also|okay)$/i, ''));
  return parts.map((p) => capitalize(p.replace(/^see (?:you|her|him|them|the patient) (?:again |back )?(?=in|within)/i, 'Follow up ')));
}

function fuller(a: Instruction, b: Instruction): boolean {
  const score = (x: Instruction): number =>
    (x.change ? 4 : 0) + (WHEN.test(x.text) ? 2 : 0) + (/\d/.test(x.text) ? 1 : 0) + (x.hasReason ? 1 : 0);
  return score(a) > score(b);
}

function dedupe(precautions: VisitAdvice[]): VisitAdvice[] {
  const out: VisitAdvice[] = [];
  for (const p of precautions) if (!out.some((x) => x.text.toLowerCase() === p.text.toLowerCase())) out.push(p);
  return out;
}
