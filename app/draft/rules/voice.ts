import { capitalize, terminate } from '../text.ts';
import { clinicianToNoteStyle, type PatientReference } from './note-style.ts';

/**
 * Clinical voice: the last step before a sentence enters the note. Spoken sentences are rewritten the way a
 * clinician writes them, and a sentence that still reads as speech afterwards is left out of the note (it stays in
 * the transcript). Words are never invented beyond the note-style verbs below ("Increase", "Advised to", "No ...
 * appreciated"), and every number, drug, dose and side still comes from the cited turn (the evidence guard).
 *
 *   clinician, plan:  "i'm going to increase your lisinopril to 20 mg once a day" -> "Increase lisinopril to 20 mg once a day."
 *                     "i want you to cut back on salt"                            -> "Advised to cut back on salt."
 *   clinician, exam:  "i don't hear any murmurs"                                  -> "No murmurs appreciated."
 *   hedges:           "it looks like your ekg is completely normal"               -> "Her EKG is completely normal."
 */

/** Verbs a plan item starts with once its first-person lead is removed ("i'm going to order" -> "Order"). */
const PLAN_VERBS = new Set([
  'order',
  'start',
  'restart',
  'increase',
  'decrease',
  'reduce',
  'lower',
  'raise',
  'stop',
  'discontinue',
  'hold',
  'continue',
  'refill',
  'prescribe',
  'refer',
  'schedule',
  'check',
  'recheck',
  'repeat',
  'get',
  'obtain',
  'send',
  'recommend',
  'switch',
  'change',
  'add',
  'give',
  'monitor',
  'place',
  'perform',
  'draw',
  'try',
  'treat',
  'inject',
  'adjust',
  'titrate',
  'taper',
  'consider',
  'provide',
  'evaluate',
  'follow',
  'see',
  'keep',
  'put',
  'do',
  'set',
  'arrange',
  'obtain',
  'update',
  'wean',
  'avoid',
  'administer',
  'apply',
  'aspirate',
  'drain',
  'splint',
  'cast',
  'book',
  'screen',
  'test',
  'measure',
  'track',
  'watch',
  'observe',
  'recommend',
  'counsel',
  'educate',
  'encourage',
  'advise',
  'write',
  'fill',
  'call',
  'contact',
  'dispense',
  'prescribe',
  'treat',
  'biopsy',
  'excise',
  'remove',
  'admit',
  'transfer',
  'clear',
  'release',
  'return',
  'ice',
  'elevate',
]);

/** Plan verbs written differently in a note than spoken ("put you on x" -> "Start x"; "get" -> "Obtain"). */
const NOTE_VERB: Record<string, string> = {
  put: 'start',
  place: 'place',
  get: 'order',
  do: 'perform',
  send: 'send',
  give: 'give',
  write: 'prescribe',
  see: 'see',
  set: 'arrange',
  book: 'schedule',
  fill: 'refill',
};

/** A test "done" is checked ("do a fasting blood sugar", "do an mmr titer today"). */
const DONE_AS_CHECK =
  /^(?:(?:a|an|some|the)\s+)?(?:[a-z0-9-]+\s+){0,3}(?:titers?|blood sugars?|glucose|a1c|panel|labs?|lab work|blood work|blood tests?|urinalysis|urine test|culture|levels?)\b/i;

/** An object that names a dose: the drug it follows is prescribed ("lortab 5 mg"). */
const DOSED = /^(?:(?:the|some|a)\s+)?[a-z-]+(?:\s+[a-z-]+)?\s*,?\s+\d+(?:\.\d+)?\s*(?:mg|mcg|milligrams?|micrograms?)\b/i;

const SUBJECT = String.raw`(?:i|we|i am|we are|i'm|we're|i'll|we'll|i will|we will|i would|we would|i'd|we'd|let's|let us)`;
const LEAD = new RegExp(
  String.raw`^(?:and |so |then |also |now |next |first |second |third |finally |lastly |otherwise |in addition |at this time |for now |today )*,?\s*` +
    String.raw`${SUBJECT}\s+(?:also\s+|just\s+|probably\s+|definitely\s+|then\s+|do\s+(?=want|need|like))?` +
    String.raw`(am going to|are going to|going to|gonna|will|would like to|'d like to|like to|want to|wanna|need to|plan to|plan on|can|should|could|would|have to|must|might|may|are|am)?\s*` +
    String.raw`(?:also\s+|just\s+|then\s+|probably\s+|go ahead and\s+|gonna go ahead and\s+|be\s+(?=\w+ing\b))*` +
    String.raw`(\w+)\b\s*(.*)$`,
  'i',
);
/** "what i'd like to do is ...", "what i would recommend (what we try) is ...": the plan item follows the lead. */
const WHAT_WE_DO =
  /^(?:(?:and|so|now|okay|alright|then)[,\s]+)*what (?:i|we)(?:'d| would| will|'ll| am|'m| are|'re)?\s*(?:like to|want to|wan na|going to|gon na)?\s*(do|recommend|suggest)(?: what we try)?(?: for (?:that|this|it|you|him|her|them))? is,?\s+(?:that\s+)?(.{6,})$/i;
/** "see you again in two weeks", "i'll see her back in 3 months" -> "Follow up in 2 weeks". */
const SEE_AGAIN =
  /^(?:and\s+|so\s+|then\s+)*(?:(?:i|we)(?:'ll| will| want to| would like to|'d like to| am going to| are going to|'m going to|'re going to)?\s+)?(?:see|follow up with|check on)\s+(?:you|her|him|them)\s+(?:again\s+|back\s+)?((?:in|within|after)\s+.+)$/i;

/** "we can (see|decide) if we need to put you on antibiotics": what follows is considered, not ordered. */
const DECIDE_IF = /\b(?:see|decide|determine)\s+(?:if|whether)\s+(?:we|i)\s+(?:need|want|have)\s+to\s+(.{6,})$/i;

/** Where a second order starts after the dose or frequency of the first ("... 100 mg daily continue the norvasc ..."). */
const NEXT_ORDER =
  /(?<=\b(?:daily|a day|once|twice|mg|milligrams|night|morning|week|needed))\s+(?=(?:continue|start|stop|increase|decrease)\s+(?:on\s+|with\s+)?(?:the\s+|their\s+|your\s+)?[a-z])/i;

const THEN_SEE_AGAIN =
  /^(.{8,}?)\s+and\s+(?:(?:i|we)(?:'ll| will)\s+)?(?:see|follow up with|check on)\s+(?:you|her|him|them)\s+(?:again\s+|back\s+)?((?:in|within|after)\s+.+)$/i;

/** A plan said as an order ("continue metformin", "follow up in 3 months"). */
const IMPERATIVE =
  /^(?:and |so |then |also |now )*(continue|start|stop|discontinue|increase|decrease|order|repeat|refill|schedule|follow up|return|avoid|elevate|ice|apply|hold|restart|taper|titrate)\s+(?!(?:to|with me|on that|it|that|this)\b)(.{3,})$/i;

/** Plan verbs said in the present tense by the clinician ("i recommend ...") without "will" or "going to". */
const PRESENT_PLAN = new Set(['recommend', 'prescribe', 'suggest', 'advise', 'order', 'refer', 'encourage']);
/** What the clinician is about to do in the room, not a plan item ("let's do a quick exam", "i'll take a look"). */
const IN_ROOM =
  /^(?:a\s+|your\s+|the\s+|some\s+)?(?:quick\s+|brief\s+|full\s+)?(?:physical\s+)?(?:exam\w*|look|listen|out\b|you out|check on you|check you out|feel|peek|review|go over|talk|discuss)\b/i;

const ADVICE =
  /^(?:and |so |then |also |now )*,?\s*(?:have you(?=\s+(?!ever\b|been\b|had\b|noticed\b|tried\b|any\b|got\b|seen\b|taken\b|\w+ed\b))|i (?:do |really |would |also )?want (?:you|her|him|them) to|i'd like to see (?:you|her|him|them)|i would like to see (?:you|her|him|them)|i want to see (?:you|her|him|them)|i'd like you to|i would like you to|i need you to|i(?:'ve| have) (?:asked|told|instructed) (?:you|her|him|them) to|i want to have you|i'm going to have you|i am going to have you|we're going to have you|we are going to have you|we'll have you|we will have you|i'll have you|i will have you|i recommend that you|i would recommend that you|i'd recommend that you|i recommend you|i'd recommend you|i would recommend you|i would like for you to|i'd like for you to|you should|you need to|you'll need to|(?:she|he|the patient) (?:should|needs to|will need to)|you will need to|you're going to need to|you are going to need to|make sure you|make sure that you|be sure to|try to|please)\s+(.+)$/i;

const ING_TO_BASE: Record<string, string> = {
  ordering: 'order',
  starting: 'start',
  increasing: 'increase',
  decreasing: 'decrease',
  stopping: 'stop',
  continuing: 'continue',
  prescribing: 'prescribe',
  referring: 'refer',
  scheduling: 'schedule',
  checking: 'check',
  repeating: 'repeat',
  getting: 'get',
  sending: 'send',
  switching: 'switch',
  changing: 'change',
  adding: 'add',
  giving: 'give',
  putting: 'put',
  holding: 'hold',
};

/**
 * A clinician's first-person plan sentence as a note-style plan item, or null when it is not one:
 * "we'll go ahead and order a lipid panel" -> "Order a lipid panel."; "i want you to walk 30 minutes a day" ->
 * "Advised to walk 30 minutes a day."; "i'm going to put you on amoxicillin" -> "Start amoxicillin."
 */
export function planVoice(sentence: string, who: PatientReference): string | null {
  const s = sentence.trim().replace(/[.!]+$/, '');
  // "i don't think we need to adjust any of those medications", "i don't think you need a diuretic at this time": what
  // the plan leaves out is a plan item too ("No need for a diuretic at this time.").
  const needless = NO_NEED.exec(s);
  if (needless) return needlessItem(needless[1], needless[2] ?? '', who);
  // "what i'd like to do is increase your lasix", "what we're going to do is, i'm going to start you on ...": the lead
  // announces the plan item after it.
  const announced = WHAT_WE_DO.exec(s);
  if (announced && announced[1] && announced[2]) {
    const rest = announced[2]
      .replace(/^(?:first(?: off)?|potentially|probably|just|actually)\s+/i, '')
      // "what i'm going to do for that is actually going to prescribe you ...": the subject said once.
      .replace(/^(?:going to|gonna|gon na)\s+/i, 'we will ');
    if (/^(?:i|we|i'm|we're|i'll|we'll|i'd|we'd|let's)\b/i.test(rest)) return planVoice(rest, who);
    const verb = /^(\w+)/.exec(rest)?.[1]?.toLowerCase() ?? '';
    if (PLAN_VERBS.has(verb) && !/^(?:do|get|keep|see|put|give)$/.test(verb)) return planVoice(`we will ${rest}`, who);
    if (/^(?:recommend|suggest)$/i.test(announced[1]) && /^(?:an?|some|the)\s/i.test(rest))
      return `Recommend ${objectPronouns(rest, who, true)}`;
    return null;
  }
  // "we will start lisinopril and see her again in two weeks": the plan item, then the follow-up.
  const thenSee = THEN_SEE_AGAIN.exec(s);
  if (thenSee && thenSee[1] && thenSee[2]) {
    const item = planVoice(thenSee[1], who);
    if (item) return `${terminate(item)} Follow up ${thenSee[2]}`;
  }
  const advice = ADVICE.exec(s);
  // "i'd like to see you (again) in two weeks": the visit after this one, not advice.
  const back = advice?.[1] ? /^(?:again\s+|back\s+)*((?:in|within|after)\s+.+)$/i.exec(advice[1]) : null;
  if (back && back[1] && /^i(?:'d| would| want)/i.test(s.replace(/^(?:and |so |then |also |now )*,?\s*/i, '')))
    return `Follow up ${back[1]}`;
  // "i'm going to have you flex your knee is that painful": a step of the examination, not advice.
  if (advice && advice[1] && EXAM_STEP.test(advice[1].replace(/^(?:go ahead and|just|also)\s+/i, ''))) return null;
  if (advice && advice[1] && !/^be (?:fine|okay|ok|good|alright|all right|sure)\b/i.test(advice[1])) {
    const rest = advice[1]
      .replace(/^(?:go ahead and|just|also|really)\s+/i, '')
      // "call me or message me if ..." -> "call or message if ...": who is called is the practice, not a pronoun.
      .replace(/\b(call|contact|message|email|report (?:them|it|those|that) to) (?:me|us)\b/gi, '$1')
      .replace(/\bgive (?:me|us) a call\b/gi, 'call')
      .replace(/\b(report (?:them|it|those|that)) to\b/gi, '$1');
    // "i want you to continue the cozaar 100 mg daily continue the norvasc 5 mg once daily": two orders said as one,
    // each written as the order it is ("Continue cozaar 100 mg daily. Continue norvasc 5 mg once daily.").
    const orders = rest.split(NEXT_ORDER);
    if (orders.length > 1 && /^(?:continue|start|stop|increase|decrease)\s/i.test(orders[0]!))
      return orders
        .map((o) =>
          /^(?:continue|start|stop|increase|decrease)\s(?!to\s)/i.test(o)
            ? terminate(
                capitalize(
                  objectPronouns(o.replace(/^(\w+)\s+(?:on|with)\s+/i, '$1 ').replace(/^(\w+)\s+(?:the|their|your)\s+/i, '$1 '), who, true),
                ),
              )
            : terminate(`Advised to ${objectPronouns(o, who, false)}`),
        )
        .join(' ')
        .replace(/[.]$/, '');
    return `Advised to ${objectPronouns(rest, who, false)}`;
  }
  const seeAgain = SEE_AGAIN.exec(s);
  if (seeAgain && seeAgain[1]) return `Follow up ${seeAgain[1]}`;
  const imperative = IMPERATIVE.exec(s);
  if (imperative && imperative[1] && imperative[2] && !IN_ROOM.test(imperative[2]))
    return `${capitalize(imperative[1].toLowerCase())} ${objectPronouns(imperative[2], who, true)}`;
  // "based on urinalysis we can see if we need to prescribe you antibiotics": an order that depends on what a test shows.
  const decided = DECIDE_IF.exec(s);
  if (decided?.[1]) {
    const item = planVoice(`we will ${decided[1]}`, who);
    const what = item ? /^(?:Prescribe|Start|Give|Order|Refer to|Place on)\s+(.{3,})$/.exec(item) : null;
    if (what?.[1])
      return `Consider ${what[1]
        // "... see if you have any type of infection" -> "... if infection is found".
        .replace(
          /\s+(?:to\s+)?see (?:if|whether) (?:you|he|she|they|the patient) (?:have|has) (?:any (?:type|kind|signs?) of |an? |any )?([a-z][a-z ]{2,30})$/i,
          ' if $1 is found',
        )
        .replace(/\s+(?:to\s+)?see (?:if|whether)\b.*$/i, '')}`;
  }
  const m = LEAD.exec(s);
  // "we got this early enough that we can just treat you with some oral antibiotics": the plan is the clause after "that".
  const nested = /\b(?:enough|so) that\s+((?:we|i)(?:'ll| will| can| could| should)\s+.{6,})$/i.exec(s);
  const said = m?.[2]?.toLowerCase() ?? '';
  if (m && nested?.[1] && !PLAN_VERBS.has(ING_TO_BASE[said] ?? said)) return planVoice(nested[1], who);
  if (!m || !m[2]) return null;
  let verb = m[2].toLowerCase();
  verb = ING_TO_BASE[verb] ?? verb;
  if (!PLAN_VERBS.has(verb)) return null;
  // "we'll add symbicort", "i would perform a hysterectomy": the modal is inside the subject.
  const modal = m[1] || /^(?:(?:and|so|then|also|now|next)\s+)*,?\s*(?:i|we)(?:'ll|'d| will| would)\s/i.test(s);
  if (!modal && !/^let/i.test(s.replace(/^(?:and |so |then |also |now )+/i, '')) && !PRESENT_PLAN.has(verb)) return null;
  let rest = m[3] ?? '';
  // "i would recommend what you're doing": a plan verb whose object is a clause is no order.
  if (IN_ROOM.test(rest) || /^(?:at|over|through)\b/i.test(rest)) return null;
  if (/^(?:recommend|suggest|advise|encourage)$/.test(verb) && /^(?:what|how|whether|why)\b/i.test(rest)) return null;
  // "i'm going to recommend we give you some motrin": the order is what is recommended ("Give some motrin, 800 mg.").
  const weDo = /^(?:recommend|suggest)$/.test(verb) ? /^(?:that\s+)?we\s+(?:should\s+|can\s+)?(?=\w)(.{6,})$/i.exec(rest) : null;
  if (weDo && weDo[1]) return planVoice(`we will ${weDo[1]}`, who);
  // "let's start by listening to your heart": what happens next in the room, not a plan item.
  if (/^(?:start|begin|restart)$/.test(verb) && /^(?:by|off|with (?:a|an|the|some)? ?(?:exam|look|question))\b/i.test(rest)) return null;
  // "we can just treat you with some oral antibiotics" -> "Treat with oral antibiotics".
  if (verb === 'treat') {
    const what = /^(?:you|him|her|them|this|that|it)\s+with\s+(?:some\s+)?(.+)$/i.exec(rest);
    if (what?.[1]) return `Treat with ${objectPronouns(what[1], who, true)}`;
    if (/^(?:you|him|her|them)\b/i.test(rest)) return null;
  }
  if (verb === 'get') {
    const got = gotten(rest, who);
    if (got !== undefined) return got;
  }
  // "have you follow up in 2 weeks", "put you on", "get you set up with": the patient as object is understood.
  rest = rest.replace(/^(?:you|him|her|them)\s+(?:on|in|into|with|to|for|back)\b\s*/i, (x) => x.replace(/^\S+\s+/, ''));
  rest = rest.replace(/^(?:you|him|her|them)\s+(?=\w)/i, '');
  if (verb === 'put') {
    const where = /^(?:(?:you|him|her|them)\s+)?(on|in|into)\b\s*(.*)$/i.exec(m[3] ?? '');
    if (!where || !where[1]) return null;
    verb = where[1].toLowerCase() === 'on' ? 'put' : 'place';
    rest = where[1].toLowerCase() === 'on' ? (where[2] ?? '') : `in ${where[2] ?? ''}`;
  }
  // "... and have you come back in 2 weeks": the patient as the one who comes back is understood.
  rest = rest.replace(/\band (?:we'll |we will |i'll |i will )?have (?:you|her|him|them) /gi, 'and ');
  if (verb === 'follow' && !/^up\b/i.test(rest)) return null;
  // "set you up for an epidural" -> "Arrange an epidural".
  if (verb === 'set') rest = rest.replace(/^up\s+(?:for|with)\s+/i, '');
  // "continue with the lisinopril" -> "Continue lisinopril"; "refill the prozac" -> "Refill prozac".
  if (verb === 'continue' || verb === 'start' || verb === 'restart') rest = rest.replace(/^(?:with|on)\s+/i, '').replace(/^some\s+/i, '');
  if (verb === 'repeat') rest = rest.replace(/^(?:another|a repeat(?: of)?)\s+/i, '');
  rest = rest.replace(/^(?:the|some)\s+(?=\S+(?:\s+(?:to\s+|at\s+)?\d|$|,|\s+(?:once|twice|daily|every)\b))/i, '');
  if (/^(?:get|do|keep|see|put|give)$/.test(verb) && /^(?:it|that|this|them|those|these|things)\b/i.test(rest)) return null;
  // "order another echocardiogram", "get a repeat a1c" -> "Repeat echocardiogram", "Repeat a1c".
  // "do a follow-up (in 2 weeks)": a follow-up visit, not a repeat of something; with no when it adds nothing the
  // plan's own follow-up line does not.
  const followUp = /^(?:(?:a|an|some|the)\s+)?follow-?up(?:\s+(?:visit|appointment))?(?=$|\s+(?:in|at|after|next|on|for)\b)\s*(.*)$/i.exec(
    rest,
  );
  if (followUp && /^(?:do|schedule|get|set up|book)$/.test(verb)) return followUp[1] ? `Follow up ${followUp[1]}` : null;
  const again = /^(?:another|a repeat(?: of)?|a new|a follow-up)\s+(.+)$/i.exec(rest);
  if (again && again[1] && /^(?:order|get|do|check|obtain|schedule|send)$/.test(verb))
    return `Repeat ${objectPronouns(again[1], who, true)}`;
  // "we'll do lortab 5 mg" prescribes the drug; "we'll do to make sure ..." orders nothing (decision 0236).
  if (verb === 'do' && /^to\b/i.test(rest)) return null;
  // "we'll do a fasting blood sugar" checks it, "do some physical therapy" starts it, "do a follow-up" follows up.
  if (verb === 'do' && /^(?:(?:a|an|some|the)\s+)?physical therapy\b/i.test(rest))
    return `Start ${objectPronouns(rest.replace(/^(?:a|an|some|the)\s+/i, ''), who, true)}`.trim();
  const checked = verb === 'do' && DONE_AS_CHECK.test(rest);
  const written = verb === 'do' && DOSED.test(rest) ? 'prescribe' : checked ? 'check' : (NOTE_VERB[verb] ?? verb);
  return `${capitalize(written)} ${objectPronouns(rest, who, true)}`.trim();
}

/** A state a plan aims at ("get your diabetes better controlled", "get your diet on track"). */
const GOAL_STATE =
  /^(?:(?:your|his|her|their|the|that|this)\s+)?([a-z][a-z0-9 ]{2,40}?)\s+(better controlled|(?:under|in) (?:better |good )?control|controlled|on track|back to normal)\b/i;

/**
 * What "get" says when it is no order (decision 0228): "get you into physical therapy" refers, "get you on x" starts,
 * "get your diet on track" states a goal; "get you feeling better", "get you back out there", "get you off of both of
 * these medications" order nothing and are left out (null). undefined: an ordinary "get" ("get an x-ray"), an order.
 */
function gotten(rest: string, who: PatientReference): string | null | undefined {
  // "get you on get you into physical therapy": a false start said again.
  const r = rest.replace(/^(?:you|him|her|them)\s+(?:on|in|into|to)\s+get\s+/i, '').replace(/^(?:you|him|her|them)\s+/i, '');
  const therapy = /^(?:into|in to|in with|in for)\s+((?:[a-z]+\s+){0,2}(?:therapy|rehab\w*|clinic|program))\b(.*)$/i.exec(r);
  if (therapy?.[1]) return `Refer to ${therapy[1]}${therapy[2] ?? ''}`;
  // "get you set up for the ultrasound" -> "Arrange the ultrasound" (as "set you up for" is).
  const setUp = /^set\s+up\s+(?:for|with)\s+(.{3,})$/i.exec(r);
  if (setUp?.[1]) return `Arrange ${objectPronouns(setUp[1], who, true)}`;
  const goal = GOAL_STATE.exec(r);
  if (goal?.[1] && goal[2]) return `Goal: ${objectPronouns(goal[1], who, true)} ${goal[2].toLowerCase()}`;
  if (/^(?:on|off|back|out|up|down|over|through|better|to|set|started|going|moving|\w+ing|\w+ed)\b/i.test(r)) return null;
  // "get some of this fluid off", "get that swelling down": a result wanted, no order.
  if (/\s(?:off|out|down)(?:\s+(?:as well|too))?$/i.test(r)) return null;
  return undefined;
}

/** What the patient is asked to do in the room while being examined ("flex your knee", "take a deep breath"). */
const EXAM_STEP =
  /^(?:flex|bend|extend|straighten|(?:lift|raise) (?:your|the|it|up)|(?:push|pull) (?:against|down|up|back|on|into|toward|towards)|squeeze|twist|turn your|take a (?:deep|big) breath|breathe|cough|lie|lay|sit|stand up|look (?:up|down|left|right|at me|straight)|open your mouth|say ah|relax|hop|walk (?:for me|over|across|down the hall))\b|\b(?:is that|does that|does this|is this) (?:painful|hurt|uncomfortable|sore|tender)\b/i;

const NO_NEED =
  /^(?:(?:and|so|but|now|then|also|no)[,\s]+)*i\s+(?:really\s+|just\s+)?(?:do not|don't|dont)\s+think\s+(?:that\s+)?(?:i|we|you|he|she|they|the patient)\s+(?:will\s+|would\s+)?(?:really\s+)?needs?\s+(to\s+)?(.{3,})$/i;

/** "No need to adjust any of those medications", or null when what is not needed is reassurance or only points back ("do it today"). */
function needlessItem(to: string | undefined, what: string, who: PatientReference): string | null {
  const rest = what
    .split(/\s+(?:because|since|why|so|but|and i|and we)\b|,\s*(?:because|since|so|but|and|which|if)\b/i)[0]!
    .replace(/,\s*/g, ' ')
    // "any more workup of that": what "that" points back to is the problem the item is written under.
    .replace(/\s+(?:of|for|on|about|with|upon)\s+(?:that|this|it|them)$/i, '')
    .trim();
  if (!rest || /^(?:be\s+)?(?:worr|concern|scared|afraid|nervous|anxious|upset)/i.test(rest)) return null;
  if (
    to &&
    /^\w+(?:\s+(?:it|that|this|them|those|these|anything|any of that))?(?:\s+(?:today|now|anymore|again|right now|at this time))?$/i.test(
      rest,
    )
  )
    return null;
  if (!to && /^(?:it|that|this|them|those|these|anything|to)\b/i.test(rest)) return null;
  return `No need ${to ? 'to' : 'for'} ${objectPronouns(rest, who, true)}`;
}

/** "your lisinopril" -> "lisinopril" in an order, "your blood pressure" -> "her blood pressure" in advice; "you" -> the patient. */
function objectPronouns(text: string, who: PatientReference, order: boolean): string {
  let s = ` ${text} `;
  s = s.replace(/\byour\b\s*/gi, order ? '' : `${who.possessive} `);
  s = s.replace(/\byourself\b/gi, who.subject === 'she' ? 'herself' : who.subject === 'he' ? 'himself' : 'themself');
  s = s.replace(/\b(?:with|to|for|see|call|contact|give|tell|show|help|let) you\b/gi, (x) => x.replace(/you$/i, who.object));
  s = s.replace(/\byou are\b|\byou're\b/gi, `${who.subject} is`).replace(/\byou have\b|\byou've\b/gi, `${who.subject} has`);
  // "follow you and make sure", "keep a close eye on you": the patient as object.
  s = s.replace(
    /\b(?:on|at|about|after|follow|keep|monitor|watch|check|see|examine) you\b(?!\s+(?:are|have|can|will|do|did|feel|get|take|need|should|might|may|go|come)\b)/gi,
    (x) => x.replace(/you$/i, who.object),
  );
  s = s.replace(/\byou (?=\w)/gi, `${who.subject} `);
  return s.trim();
}

/** Phrases that hedge a finding or report it in the first person without adding to it. */
const HEDGE_LEADS =
  /^(?:(?:and|so|but|now|well|okay|alright|also|um|uh)[,\s]+)*(?:it (?:sounds|looks|seems|appears|feels) like|sounds like|looks like|seems like|it (?:looks|seems|appears) (?:that|as though)|it appears|it seems|it looks|i (?:(?:do |really )?(?:think|believe|suspect|would say|know|notice|noticed|understand|agree)|feel|see|saw|remember|recall|'m seeing|am seeing)|i'm (?:glad|happy|pleased) (?:that|to see that|to hear that)|i am (?:glad|happy|pleased) (?:that|to see that|to hear that)|what (?:i|we) (?:am |are |'m |'re )?(?:seeing|see|found|noticed|noticing|notice|saw)(?: here)? is|i (?:also )?have (?:here )?that|i (?:also )?(?:can |do )?see (?:here )?that|(?:the first thing |what )?(?:i|we)(?: am| are|'m|'re) looking at is|it says (?:here )?that|(?:in summary|to summarize)(?: after my exam)?|my (?:impression|concern|assessment)(?: (?:of|for) (?:you|him|her|them))?(?: at this time| today)?(?: is)?(?: that)?|that means|which means|looking at (?:it|this|that|the results?)(?=\s)(?!\s+(?:of|from|for)\b)|as i (?:mentioned|said)(?: before| earlier)?|as we (?:discussed|talked about)(?: before| earlier)?|you know|overall|again|basically)[,]?\s+(?:that\s+)?/i;

const RESULT_LEAD =
  /^(?:looking (?:here )?at|in reviewing|reviewing|based on|when (?:i|we) look at|if (?:i|we|you) look at|(?:i|we) reviewed)\s+(?:the\s+)?(?:results? (?:of|for|from)\s+)?(?:your|her|his|the|this)\s+([a-z0-9 -]{2,40}?),\s+(.{8,})$/i;
const EXAM_REGION = /^on\s+(?:(?:your|his|her|their|the|my|a)\s+)?((?:[a-z]+\s+){0,2}?[a-z]+)\s+(?:exam|examination),?\s+(.{6,})$/i;
/** "on the exam of your left knee", "on a focused exam of your ankle": the part is what is examined. */
const EXAM_OF =
  /^on\s+(?:(?:your|his|her|their|the|my|a)\s+)?(?:[a-z]+\s+)?(?:exam|examination)\s+of\s+(?:(?:your|his|her|their|the)\s+)?((?:[a-z]+\s+)?[a-z]+?),?\s+(?=(?:there|i|we|you|it|he|she|the|your|his|her|their|no)\b)/i;
/** "your abdominal exam is your belly is soft", "your neck exam has no jvd", "your lung exam no rales" (decision 0241). */
const EXAM_AS_SUBJECT =
  /^(?:your|his|her|their|the)\s+((?:[a-z]+\s+)?[a-z]+\s+(?:exam|examination))\s+(?:(?:is|shows)\s+(?=(?:your|his|her|their|the|there|no)\b)|(?:has\s+)?(?=no\s))/i;
const GENERIC_EXAM = /^(?:physical|focused|general|full|quick|brief|my|the|their|his|her|your)$/i;
const HEDGE_AFTER_CLAUSE =
  /,\s+(?:it (?:does |really )?(?:sounds|looks|seems|appears) like|it appears that|i (?:think|believe|see|know|feel) (?:that )?)\s*/i;
const CHATTER_TAIL =
  /,?\s*(?:so\s+)?(?:that|which|this)(?: is|'s) (?:good|great|fine|reassuring|good news|nice|perfect|awesome|wonderful|encouraging)\.?$/i;
/** What may come before "i do not appreciate": the exam or part examined ("on your neck exam", "your neck", "the good news is"). */
const EXAM_LEAD = String.raw`^((?:on [a-z ]{0,30}?exam(?:ination)?|(?:on\s+)?(?:your|his|her|the)\s+(?:[a-z]+\s+)?[a-z]+|the good news is|otherwise),?\s*)?`;
const SEEING = String.raw`(?:hear|appreciate|see|feel|note|notice|find|detect|palpate|recognize|identify|observe)`;
const EXAM_NEG = new RegExp(
  String.raw`${EXAM_LEAD}(?:i|we)\s+(?:also\s+)?(?:do not|don't|did not|didn't|can't|cannot)\s+(?:even\s+)?${SEEING}\s+(?:any\s+)?(?:(?:type|kind|signs?|evidence) of\s+(?:any\s+)?)?(.+)$`,
  'i',
);
const EXAM_POS = new RegExp(String.raw`${EXAM_LEAD}(?:i|we)\s+(?:also\s+)?(?:do\s+|can\s+|did\s+)?(?:also\s+)?${SEEING},?\s+(.+)$`, 'i');
/** "adenopathy no thyromegaly no carotid bruit" -> "adenopathy, thyromegaly, or carotid bruit": one list of what is not there. */
function deniedList(findings: string): string {
  const parts = findings.split(/\s+no\s+(?:no\s+)?/i).filter(Boolean);
  // "ecchymosis or edema no effusion": the items said with "or" are items of the same list.
  const items = parts.length < 2 ? parts : parts.flatMap((x) => x.split(/\s+or\s+/i));
  if (items.length < 2 || items.some((x) => /\b(?:or|and)\b/i.test(x))) return findings;
  return items.length === 2 ? items.join(' or ') : `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
}

/** The part examined, as a label ("your neck" -> "Neck"), or '' when the lead names none. */
function examLabel(lead: string | undefined): string {
  const part = /^(?:on\s+)?(?:your|his|her|the)\s+((?:[a-z]+\s+)?[a-z]+?)(?:\s+exam(?:ination)?)?,?\s*$/i.exec((lead ?? '').trim());
  if (!part || !part[1] || /^(?:good news|exam|examination|physical|way|thing|results?|problem)$/i.test(part[1])) return '';
  return `${capitalize(part[1])}: `;
}
const REPORTED =
  /^(?:(?:so|and|now|then|also|but)\s+)*(?:i|we)(?:'ve|'d)?\s+(?:personally\s+|also\s+|already\s+|have\s+|had\s+)*(reviewed|looked at|checked|examined|ordered|obtained|discussed|talked about|prescribed|started|increased|decreased|stopped|changed|observed|referred|sent|counseled|gave|did do|did|got|performed|drew|called|recommended|explained|encouraged|advised)\s+(.+)$/i;
/** A time said before the clinician's report ("prior to coming in we did do an x-ray", "when you came in we got ..."). */
const DONE_BEFORE =
  /^((?:prior to|before|when) (?:coming in|you came in|(?:you|he|she) (?:came|got) (?:in|here)|your visit|today's visit)),?\s+((?:i|we)\s.+)$/i;
/** "we had you do an x-ray": the test was done. */
const HAD_YOU_DO = /^(?:(?:so|and|now|then)\s+)*(?:i|we)\s+had\s+(?:you|him|her|them)\s+(?:do|get|have)\s+/i;
const REPORTED_VERB: Record<string, string> = {
  'looked at': 'reviewed',
  'talked about': 'discussed',
  did: 'performed',
  'did do': 'performed',
  got: 'performed',
  obtained: 'performed',
  gave: 'gave',
};

/** A verb said after "we did" ("we did review ...", "we did get ..."), and what was done with it. */
const DID_VERB = /^(review|look at|get|do|take|use|check|draw|order|send)\s+(.{3,})$/i;
const DID_DONE: Record<string, string> = {
  review: 'reviewed',
  'look at': 'reviewed',
  get: 'performed',
  do: 'performed',
  take: 'performed',
  use: 'used',
  check: 'checked',
  draw: 'drew',
  order: 'ordered',
  send: 'sent',
};

/**
 * A clinician's statement (examination, results, assessment) in note voice: hedges dropped, first-person
 * perception written as a finding ("i hear a murmur" -> "There is a murmur."; "i don't see any swelling" ->
 * "No swelling appreciated."), first-person reports as note verbs ("we reviewed your x-ray" -> "Reviewed x-ray.").
 */
export function findingVoice(sentence: string, who?: PatientReference, clinician = true): string {
  let s = sentence.trim().replace(/[.!]+$/, '');
  // The patient's "i feel it in my back", "i noticed a lump" report what they feel or saw: not hedges.
  const reports = !clinician && /^(?:(?:and|so|but|well|um|uh)[,\s]+)*i (?:feel|see|saw|remember|recall|notice|noticed)\b/i.test(s);
  if (!reports) for (let i = 0; i < 3; i++) s = s.replace(HEDGE_LEADS, '');
  s = s.replace(HEDGE_AFTER_CLAUSE, ', ').replace(CHATTER_TAIL, '');
  if (!clinician) return s;
  if (who) {
    const subj = capitalize(who.subject);
    const on = /^(?:we|i)\s+(?:have|'ve|had|'d)\s+(?:got\s+)?(?:you|her|him|them)\s+on\s+(.+)$/i.exec(s);
    if (on && on[1]) return `${subj} ${/^(?:we|i)\s+(?:had|'d)/i.test(s) ? 'was' : 'is'} on ${on[1]}`;
    const put =
      /^(?:we|i)\s+(?:had\s+|have\s+)?(started|placed|put|sent|referred|switched|changed|tried)\s+(?:you|her|him|them)\s+(on|for|to|in|into|with|off)\s+(.+)$/i.exec(
        s,
      );
    if (put && put[1] && put[2] && put[3]) return `${subj} was ${put[1].toLowerCase()} ${put[2].toLowerCase()} ${put[3]}`;
  }
  // "and for family history, it looks like there's high blood pressure, ..." -> "Family history: High blood pressure, ...".
  const history =
    /^(?:for|in terms of|as far as|regarding)\s+(?:(?:your|his|her|the)\s+)?((?:past\s+)?(?:medical|surgical|social|family))\s+history,?\s+(?:(?:it looks like|i see|i have here)\s+(?:that\s+)?)?(?:(?:there's|there is|there are|it's|it is|you have|you've had|you had|is)\s+)?(.{4,})$/i.exec(
      s.replace(HEDGE_LEADS, ''),
    );
  if (history && history[1] && history[2] && !/\?\s*$/.test(history[2]))
    return `${capitalize(history[1].toLowerCase())} history: ${capitalize(history[2])}`;
  // "i'm concerned that you might have some strep", "i am concerned about the redness that's moving up your leg".
  const concern =
    /^(?:(?:i'm|i am)\s+(?:a little\s+|a bit\s+|very\s+|also\s+|more\s+)?concerned|my concern is)\s+(that|about)\s+(.{6,})$/i.exec(
      sentence
        .trim()
        .replace(/[.!]+$/, '')
        .replace(/^(?:(?:and|so|but|now|okay|alright)[,\s]+)*/i, ''),
    );
  if (concern && concern[1] && concern[2]) {
    // "my concern is that you might have lyme disease based on ..." -> "Concern for lyme disease based on ...".
    const might = /^(?:you|he|she|they|the patient)\s+(?:might|may|could)\s+(?:have|has)\s+(?:an?\s+|some\s+)?(.{4,})$/i.exec(concern[2]);
    if (might && might[1]) return `Concern for ${who ? objectPronouns(might[1], who, false) : might[1]}`;
    if (concern[1].toLowerCase() === 'that') return findingVoice(concern[2], who);
    if (/^(?:the|an?|some|possible|this)\s/i.test(concern[2])) return `Concern for ${concern[2].replace(/^this\s+/i, 'the ')}`;
  }
  // "we call this hallux rigidus", "we call that effusion": the clinician names what was just described.
  const named = /^(?:we|doctors)\s+call\s+(?:this|that|it)\s+(.{4,}?)(?:\s+and\s+(?:the\s+)?treatment\b.*)?$/i.exec(s);
  if (named && named[1]) return `This is ${named[1]}`;
  // "on your neck exam there is no jugular venous distention" -> "Neck: No jugular venous distention".
  // "your abdominal exam is your belly is soft": the exam named as the subject heads the finding like "on your ... exam".
  const region = EXAM_REGION.exec(s.replace(EXAM_OF, 'on $1 exam ').replace(EXAM_AS_SUBJECT, 'on $1 '));
  if (region && region[1] && region[2] && !/^(?:i|we)\s+(?:am|'m|are|'re|will|'ll)\b/i.test(region[2])) {
    // "on physical exam, ...": no part is named, the finding is written as it is.
    if (GENERIC_EXAM.test(region[1])) return findingVoice(region[2], who);
    if (/^(?:on\s+)?(?:your|his|her|their|the)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:exam|examination)\b/i.test(region[2]))
      return findingVoice(region[2], who);
    const finding = findingVoice(
      region[2]
        .replace(/^(?:there (?:is|are)|there's)\s+(?=no\b)/i, '')
        // "on your heart exam you do have a two over six systolic ejection murmur" -> "Heart: 2 over 6 systolic ...".
        .replace(/^(?:you|he|she|they)\s+(?:do\s+|does\s+)?(?:have|has)\s+(?:an?\s+|some\s+|this\s+)?(?=[a-z0-9])/i, '')
        .replace(/^(?:your|his|her|the)\s+/i, ''),
      who,
    )
      .replace(/^There (?:is|are)\s+(?:an?\s+)?/i, '')
      .replace(/\b(or|and) any\b/gi, '$1')
      // "no rales no wheezing" -> "no rales or wheezing": one list of what is not there.
      .replace(/^(no\s+)(.+?)([.]?)$/i, (_m, no: string, rest: string, end: string) => `${no}${deniedList(rest)}${end}`);
    return `${capitalize(region[1].replace(/^(?:physical|focused|general)\s+/i, ''))}: ${finding.charAt(0).toUpperCase()}${finding.slice(1)}`;
  }
  const result = RESULT_LEAD.exec(s);
  if (result && result[1] && result[2]) s = `${capitalize(result[1])}: ${result[2].replace(HEDGE_LEADS, '')}`;
  const neg = EXAM_NEG.exec(s);
  const negated = neg?.[2]
    ?.split(
      /\s+(?:meaning|which|that|because|so|but|when|if|however|it|there|looking at|listening to|on (?:his|her|your|the)|(?:and|or) (?:i|we|you|she|he|it|there)|or (?:your|his|her|their) (?:blood pressure|heart rate|vitals?|vital signs))\b/i,
    )[0]
    ?.replace(/[,\s]+$/, '')
    .replace(/(?:\s+(?:for|of|to|in|on|at|with|from|or|and|the|a|an))+$/i, '')
    .trim();
  const negatedList = negated && deniedList(negated);
  const kind = neg ? /\b(evidence|signs?) of\s+(?:any\s+)?$/i.exec(neg[0].slice(0, neg[0].length - (neg[2]?.length ?? 0)))?.[1] : undefined;
  if (
    negated &&
    /[a-z]{3}/i.test(negated.replace(/\b(?:any|there|is|are)\b/gi, '')) &&
    !/^(?:evidence|signs?|problems?|issues?|anything|that|this|them)$/i.test(negated) &&
    negated.split(/\s+/).length <= 10
  )
    return kind
      ? `${examLabel(neg?.[1])}No ${kind.toLowerCase()} of ${(negatedList ?? negated).replace(/^(?:any|an?)\s+/i, '').replace(/\b(or|and) any\b/gi, '$1')}`
      : `${examLabel(neg?.[1])}No ${(negatedList ?? negated).replace(/^(?:any|an?)\s+/i, '').replace(/\b(or|and) any\b/gi, '$1')} appreciated`;
  const pos = EXAM_POS.exec(s);
  if (pos && pos[2] && pos[2].split(/\s+/).length <= 20 && !/^(?:that|if|how|what|when|you|your)\b/i.test(pos[2])) {
    const label = examLabel(pos[1]);
    return label ? `${label}${capitalize(pos[2].replace(/^(?:some|an?)\s+/i, ''))}` : `There is ${pos[2]}`;
  }
  const part =
    /^(?:(?:on )?(?:your|his|her|the)\s+)([a-z]+(?: [a-z]+)?)(?: exam)?,\s*(?:i|we)\s+(?:do\s+|can\s+)?(?:hear|appreciate|see|feel|note|notice)\s+(.+)$/i.exec(
      s,
    );
  if (part && part[1] && part[2]) return `${capitalize(part[1])}: ${part[2]}`;
  // "prior to coming in we did do an x-ray": when it was done goes after what was done.
  const when = DONE_BEFORE.exec(s);
  if (when && when[1] && when[2]) {
    const done = findingVoice(when[2], who);
    if (done !== when[2] && /^[A-Z][a-z]+ed\b/.test(done)) return `${done} ${when[1].toLowerCase()}`;
  }
  const rep = REPORTED.exec(s.replace(HAD_YOU_DO, 'we did '));
  // "i've got about ten degrees of flexion": "have got" is "have", not a report of something done.
  if (rep?.[1]?.toLowerCase() === 'got' && /^(?:(?:so|and|now|then|also|but)\s+)*(?:i|we)(?:'ve|'d|\s+have|\s+had)\s/i.test(s)) return s;
  // "we did review the results of your ct", "we did get an x-ray", "we did use the doppler": the verb after "did" is what
  // was done ("Reviewed the results of ct.", "Performed an x-ray.", "Used the doppler."), not "Performed review ...".
  const didWhat = rep?.[1] && /^(?:did|did do|got)$/i.test(rep[1]) ? DID_VERB.exec(rep[2] ?? '') : null;
  const verb = didWhat?.[1] ? (DID_DONE[didWhat[1].toLowerCase()] ?? rep?.[1]) : rep?.[1];
  const done = didWhat?.[2] ?? rep?.[2];
  // "we discussed that she'd like to proceed with ..." reports what was said; "we talked about that" says nothing.
  if (verb && done && !/^(?:\w+ed|of|do|that(?! (?:she|he|you|they)\b)|it|this|to|in|on|at|for|with|when)\b/i.test(done))
    return `${capitalize(REPORTED_VERB[verb.toLowerCase()] ?? verb.toLowerCase())} ${done
      .replace(/\byour\b\s*/gi, '')
      // "we talked about you being able to ...": the patient is the object of what was discussed.
      .replace(/\byou(?=\s+\w+ing\b)/gi, who?.object ?? 'the patient')}`;
  return s;
}

function withoutHedgeLeads(sentence: string): string {
  let s = sentence;
  for (let i = 0; i < 3; i++) s = s.replace(HEDGE_LEADS, '');
  return s.replace(/^(?:and|so|but|then)\s+/i, '');
}

/** A clinician's sentence in note voice: a plan item when it is one, otherwise a finding, third person for the patient. */
export function clinicianVoice(sentence: string, who: PatientReference): string {
  // "i see and i'll also send a sample ...", "you know we'll order ...": a hedge before the order is not part of it.
  const plan = planVoice(sentence, who) ?? planVoice(withoutHedgeLeads(sentence), who);
  if (plan) return finishItem(plan);
  return clinicianToNoteStyle(findingVoice(sentence, who), who);
}

function finishItem(text: string): string {
  return capitalize(
    terminate(
      text
        // "we'll refer you to physical therapy if we need to": the condition is kept, in note words.
        .replace(/\s+if (?:we|i) (?:need|have) to\s*$/i, ' if needed')
        .replace(/^(\w+),\s+/, '$1 ')
        // "get you a s- uh, aluminum foam splint": the article of the word that was said after the false start.
        .replace(/\ba (?=(?:[aio]|e(?!u))[a-z])(?!one\b|once\b)/gi, 'an ')
        .replace(/\s{2,}/g, ' ')
        .replace(/\s+([,.;:%])/g, '$1')
        // "... to see what the blood supply is like": the order is written without the spoken purpose tail.
        .replace(/\s+(?:just\s+)?to see (?:what|how)\b.*$/i, '')
        // "schedule you for an upper endoscopy just to be sure we aren't missing anything else": the clinician's own
        // reassurance is no part of the order (decision 0242). A purpose about the patient ("to make sure that you
        // don't have any disc herniation") is kept.
        .replace(/\s+(?:just\s+)?to (?:be sure|make sure) (?:that )?(?:we|i)(?:'re|'m)?\s.*$/i, '')
        // "give you a thumb spica for today and that's going to", "a wrist splint to wear and that should help": what the
        // item is meant to do, said after it (often cut off), is no part of the order.
        .replace(/\s+and\s+(?:that|this|it)(?:'s|\s+is)?\s+(?:going to|will|should|would|can|may)\b.*$/i, '')
        .replace(/(?:[,\s]+(?:and|or|but|so|to|the|a|of|with|okay|ok|right))+\s*$/i, ''),
    ),
  );
}

/** Discourse words, fillers and cut-off words that a written sentence never has. */
const TIDY: Array<[RegExp, string]> = [
  [/\s*(?:\.{2,}|…)\s*(?=\S)/g, ' '],
  [/\b(?:um+|uh+|er|ah|hmm+|mm-hmm|uh-huh)\b[,.]?\s*/gi, ''],
  [/,?\s*\b(?:you know|i mean|kind of|sort of)\b,?/gi, ''],
  [/,?\s*\blike,\s*/gi, ' '],
  [/^(?:'cause|cause|cuz)\s+/i, ''],
  // "..., his x-ray, and that." / "It is, his blood sugar's elevated": a list that trails off, an opening that says nothing.
  [/,\s+(?:and\s+)?(?:that|this|stuff|all that)\s*(?=[.!]?$)/i, ''],
  [/^it(?:'s| is),\s+(?=\w)/i, ''],
  [/,?\s*\b(?:okay|ok|alright|all right)\b(?:[,.]\s*|\s*$)/gi, ' '],
  [/^(?:so|well|and|but|now|then|also|anyway|plus|yeah)\b[,\s]+/i, ''],
  [/,\s*(?:so|well)\s*,/gi, ','],
  [/\b[a-z]{1,12}-(?=\s|$|[,.;])/gi, ''],
  [/\b(\w+)(?:\s+\1\b)+/gi, '$1'],
  // A repeated pair of words ("it is it is very stiff").
  [/\b(\w+\s+\w+)(?:\s+\1\b)+/gi, '$1'],
  [/\s*,\s*,+/g, ','],
  [/\s{2,}/g, ' '],
];

/** Removes discourse words, fillers, cut-off words and doubled words; tidies punctuation. */
export function tidyWritten(sentence: string): string {
  let s = sentence;
  for (let i = 0; i < 2; i++) for (const [re, rep] of TIDY) s = s.replace(re, rep);
  s = s
    .replace(/\s+([,.;:%])/g, '$1')
    .replace(/^[,;:\s]+/, '')
    .replace(/[,;:\s]+([.!?])$/, '$1')
    .trim();
  if (!s) return '';
  return capitalize(terminate(s));
}

const SPEECH: RegExp[] = [
  /\b(?:i|me|my|mine|myself|we|us|our|ours|ourselves|you|your|yours|yourself|yourselves)\b/i,
  /\b(?:um+|uh+|okay|ok|you know|kind of)\b|(?:^|[,;:]\s*)(?:so|well)\b/i,
  /\b(?:hey|ok|okay),?\s+(?:dragon|scribe|dax)\b|\b(?:dragon|dax)\b/i,
  /\b[a-z]+-(?=\s|$|[,.;])/i,
  /\?|\.{2,}|…/,
  /\b([a-z]+)\s+\1\b/i,
];

/** The sentence still reads as speech (a first/second-person pronoun, a filler, a wake phrase, a cut-off or doubled word, a question). */
export function readsAsSpeech(sentence: string): boolean {
  return SPEECH.some((re) => re.test(sentence));
}

/** Sentences that say nothing a note needs once tidied ("That is good.", "It is fine."). */
const EMPTY =
  /^(?:(?:the|his|her|their|this|that|our)\s+)?(?:first|second|third|fourth|next|last|final|other)\s+(?:problem|issue|concern|thing)\.?$|^(?:she|he|the patient|they) (?:is|are) doing\.?$|^(?:that|this|it|which|there)\s+(?:is|was|has been|sounds|looks|seems)\s+(?:good|great|fine|okay|ok|right|true|awesome|perfect|wonderful|excellent|helpful|important|interesting|it)\.?$|^(?:good|great|fine|perfect|awesome|excellent|wonderful|sure|correct|exactly|absolutely)\.?$/i;

/** Greetings, apologies and interjections a note never has ("Hey diana it is good to see ...", "Sorry no problem."). */
const GREETING_OR_AFTERTHOUGHT =
  /^(?:hey|hi|hello|good (?:morning|afternoon|evening))\b|\b(?:yeah|yep|yup|nope|sorry|bye|goodbye|thank you|thanks)\b/i;

/** Only the lead that introduces a problem ("For their third problem of their diabetes."): the assessment names it already. */
const PROBLEM_LEAD_ONLY =
  /^(?:(?:so|and|now|okay)\s+)?(?:for|regarding|as far as|as for|in terms of|moving on to|with regards? to|in regards? to)\s+(?:(?:his|her|their|the|your)\s+)?(?:(?:first|second|third|fourth|fifth|next|last|final|other|primary)\s+)?(?:(?:problem|issue|concern|diagnosis|condition)\b|[a-z' -]+\s+is concerned\.?$)/i;

/** The written form of a rewritten sentence, or null when it cannot be written confidently (it stays out of the note). */
export function written(sentence: string): string | null {
  let s = tidyWritten(sentence)
    .replace(/^Which (?=(?:showed|shows|revealed|reveals|demonstrated|demonstrates|was|is)\b)/, 'This ')
    // "which show a three centimeter left ovarian mass" after the study reviewed: what the study shows.
    .replace(/^Which (show|reveal|demonstrate)\b/, 'This $1s')
    // "Foot: she has ..." -> "Foot: She has ..."
    .replace(/^([A-Z][A-Za-z -]{1,30}: )([a-z])/, (_m, label: string, first: string) => `${label}${first.toUpperCase()}`);
  if (!s || s.split(/\s+/).length < 2) return null;
  if (readsAsSpeech(s)) s = withoutSpokenTail(s) ?? '';
  if (
    !s ||
    readsAsSpeech(s) ||
    EMPTY.test(s) ||
    (PROBLEM_LEAD_ONLY.test(s) && !HAS_VERB.test(s.replace(/\bis concerned\.?$/i, ''))) ||
    GREETING_OR_AFTERTHOUGHT.test(s) ||
    FRAGMENT.test(s) ||
    ASKED.test(s) ||
    BROKEN.test(s) ||
    /^(?:which|who|whom|whose)\b/i.test(s)
  )
    return null;
  return s;
}

const HAS_VERB =
  /\b(?:is|are|was|were|be|been|being|has|have|had|does|do|did|can|could|will|would|should|may|might|must|feels?|felt|gets?|got|goes|went|takes?|took|seems?|looks?|sounds?|comes?|came|makes?|made|needs?|wants?|keeps?|says?|said|knows?|thinks?|tries|tried|hurts?|reports?|denies|notes?|[a-z]{3,}ed|[a-z]{3,}ing)\b/i;
const SYMPTOM_START =
  /^(?:an?|some|lack|little|mild|slight|severe|occasional|intermittent|constant|sharp|dull|pain|swelling|numbness|tingling|burning|pressure|trouble|difficulty)\b/i;

/**
 * A patient's answer that is only a noun phrase ("a slight cough", "lack of energy") is reported as theirs
 * ("He reports a slight cough."); any other verbless fragment ("Probably since labor day.") is left out.
 */
export function reportedFragment(sentence: string, who: PatientReference): string | null {
  const s = sentence.trim();
  if (HAS_VERB.test(s)) return s;
  // "He owns an auto repair shop.": the patient as subject, then a verb the list above does not know.
  if (
    /^(?:he|she|the patient|they) (?!like\b|yeah\b|and\b|or\b|the\b|a\b|an\b|his\b|her\b|their\b)[a-z]+s?\b/i.test(s) &&
    s.split(/\s+/).length >= 4
  )
    return s;
  if (!SYMPTOM_START.test(s)) return null;
  return `${capitalize(who.subject)} reports ${s.charAt(0).toLowerCase()}${s.slice(1)}`;
}

/** Grammar a rewrite broke ("She remembering to take ...") or a clause cut off at its end ("..., because."). */
const BROKEN = new RegExp(
  [
    String.raw`\b(?:she|he|the patient) (?!being\b|nothing\b|something\b|anything\b|everything\b)\w+ing\b`,
    String.raw`\b(?:because|and|or|but|when|if|the|to|of|with|for|as|can|going|need|should|could|would|might|like|from|by|than|whether|how|even|at|that|on|his|her|their|a|an|no|there is no|through|into|via)\.$`,
    String.raw`\b(?:the patient|she|he) (?:their|her|his|the|a|an|need|want|go|do|have)\b`,
    // "Her remembering to take ..." is broken; "His breathing function is fine." names a function.
    String.raw`^(?:their|her|his) (?!(?:breathing|hearing|swallowing|swelling|bleeding|walking|sleeping|eating|drinking|smoking|urinating|bruising|healing|functioning)\b)\w+ing\b`,
    String.raw`(?:^|,\s*)(?:does|do|did|are|can|could|would|will) (?:the patient|she|he|it|that|this|they)\b(?! not\b)`,
    String.raw`\b(?:have|has|did|do|does|are|is|were|was) (?:the patient|she|he|they) (?:ever|been|had|noticed|experienced|felt|seen|tried|taken|any)\b`,
    // A question turned into the third person inside a longer sentence ("... is there any decreased range of motion do
    // the patient feels like ...", "have the patient takens anything").
    String.raw`\b(?:do|does|did|are|can|could|have) (?:the patient|she|he)\b(?! not\b)|\b(?:is|are) there any\b`,
    String.raw`\b(?:what about|how (?:severe|much|long|often|far|many)|any other questions|or not)\b`,
  ].join('|'),
  'i',
);

/** A question that lost its question mark ("is it running high, or..."). */
const ASKED =
  /^(?:is|are|was|were|do|does|did|have|has|can|could|would|will|should|any)\s+(?:it|there|that|this|he|she|they|the patient|anything|any)\b/i;

/** Fragments that are no sentence on their own ("With his current strategy.", "Like 4 to 5 miles a day."). */
const FRAGMENT =
  /^(?:with|like|for|about|from|of|to|in|on|at|by|which|that|who|because|since|as|if|when|while|or|and|but|than|then|just|prior to)\b(?:\s+\S+){0,5}[.!]?$/i;

const CLAUSE_START = /,\s+|\s+(?=(?:because|when|which|that|as|if|so|and|but|where|since|until|while|though|although|whereas|unless)\s)/gi;

/**
 * A sentence whose speech is only in a trailing clause keeps its head: "There is a 2 out of 6 systolic murmur,
 * which we have heard in the past." -> "There is a 2 out of 6 systolic murmur." The head must be at least four words
 * and read as writing, or the sentence is left out.
 */
function withoutSpokenTail(sentence: string): string | null {
  const body = sentence.replace(/[.!]$/, '');
  const cuts = [...body.matchAll(CLAUSE_START)]
    .map((m) => m.index ?? 0)
    .filter((i) => i > 0)
    .sort((a, b) => b - a);
  for (const cut of cuts) {
    const head = body.slice(0, cut).trim();
    if (head.split(/\s+/).length < 4) break;
    if (!readsAsSpeech(head)) return capitalize(terminate(head.replace(/[,;:\s]+$/, '')));
  }
  return null;
}
