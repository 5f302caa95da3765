import { capitalize } from '../text.ts';

/**
 * Readable sentences (decision 0190): a rewritten sentence that is grammatical only as speech is repaired when the
 * repair is certain and otherwise left out of the note (it stays in the transcript). Run before the word budget, so
 * the words a fragment would have used go to clinical sentences.
 *
 *   comma stutter:   "Order, routine blood work."                          -> "Order routine blood work."
 *                    "There is, some tenderness over that joint itself."    -> "There is some tenderness over that joint itself."
 *   speech frame:    "He said he has not been taking it that much."        -> "He has not been taking it that much."
 *   conjunction:     "Because she is on medications for her other problems." -> "She is on medications for her other problems."
 *   left out:        "Lower than it has in the past.", "Other than during the heat and the pollen, it has been good.",
 *                    "That is a hard thing to get over, moving kids out of the house.", "Still working with his hypertension."
 */

/** A comma after a word that cannot end a phrase: the speaker paused, the sentence did not break. */
const STUTTER_COMMA =
  /\b(is|was|are|were|be|been|a|an|the|of|to|with|for|at|from|into|his|her|their|its|any|some)\b,\s+(?!(?:however|though|too|as well|for example|of course|in fact|and|or|but)\b)/gi;
const STUTTER_VERB = /^(Order|Continue|Start|Refer|Increase|Decrease|Check|Get|Schedule|Repeat|Take|Stop|Refill|Obtain),\s+/;

/** "He said he ...": the patient's own words framed as reported speech; the frame adds nothing a note needs. */
const SPEECH_FRAME =
  /^(?:(?:he|she|they|the patient),?\s+)+(?:said|says|mentioned|mentions|told (?:me|us)|tells (?:me|us))\s+(?:that\s+)?(?=(?:he|she|they|the patient)\b)/i;

/** Openings that need a clause before them in the conversation ("Lower than it has in the past."). */
const COMPARED = /^(?:(?:lower|higher|better|worse|more|less|bigger|smaller|longer|shorter|rather)\s+than|other than)\b/i;
const OTHER_THAN_THAT = /^other than (?:that|this),\s+/i;
const CONJUNCTION = /^(?:and|but|or|plus|because)\s+(?!of\b)/i;
const SUBORDINATE_ONLY = /^(?:because|although|though|whereas|whether|which)\b/i;

/** "That is ...": a demonstrative pointing at something said before, which the note does not hold. */
const POINTING_BACK =
  /^(?:that|those)\s+(?:\w+ly\s+|also\s+|still\s+|just\s+)?(?:is|was|are|were|'s|has|had|can|could|will|would|should|may|might|does|did|seems?|sounds?|looks?|helps?|makes?|means?|includes?|causes?|explains?)\b/i;

const POINTING_AT_NOTHING = /^(?:that|those)\s+(?:\w+ly\s+|also\s+|still\s+|just\s+)?(?:is|was|are|were|'s)\b/i;

/** A sentence with a finite verb (or a subject pronoun and the word after it), as opposed to a spoken fragment. */
const FINITE_VERB =
  /\b(?:am|is|are|was|were|has|have|had|does|do|did|will|would|can|could|should|may|might|must|cannot|\w+['’](?:s|re|ve|ll|d)|\w{2,}ed|went|came|got|felt|took|saw|said|told|began|fell|ran|ate|drank|made|gave|found|left|kept|slept|broke|hurt|spent|lost|woke|(?:report|denie|endorse|state|note|present|take|feel|use|work|live|continue|remain|appear|show|reveal|say|want|need|get|go|come|walk|run|eat|drink|smoke|sleep|look|seem|sound|help|stay|keep|tend|trie|know|think|notice|happen|start|stop|last|flare|like|enjoy|struggle|suffer|manage|line|make|mean|include|cause|explain|hurt|bother|radiate|throb|ache|wake)s)\b/i;
const SUBJECT =
  /\b(?:he|she|they|it|these|those|who)\s+[a-z]+\b|\b[a-z]+s\s+(?:look|seem|sound|show|reveal|feel|appear|remain|hurt|come|go|get|help|need|stay)\b/i;
/** Verbless openings that are speech, not a note label: adverbs, prepositions, participles. */
const SPOKEN_OPENING =
  /^(?:really|probably|maybe|hopefully|mostly|mainly|occasionally|usually|relatively|basically|actually|definitely|obviously|typically|still|just|also|pretty|then|now|here|there|again|even|only|too|yet|already|little|lot|lots|kind|sort|in|on|at|with|without|during|for|from|about|like|after|before|since|until|to|into|over|through|by|as|that|this|it|what|how|been|(?!(?:swelling|bleeding|smoking|tingling|bruising|wheezing|vomiting|itching|burning|drinking|snoring|sweating|coughing|cramping|hearing|imaging|testing|screening|counseling|swallowing)\b)[a-z]{3,}ing)\b/i;

/** The sentence repaired to read as written, or null when it is a fragment that cannot be repaired confidently. */
export function readable(sentence: string | null, terms?: (text: string) => string[]): string | null {
  if (!sentence) return null;
  let s = sentence
    .replace(STUTTER_VERB, '$1 ')
    .replace(STUTTER_COMMA, '$1 ')
    .replace(SPEECH_FRAME, '')
    .replace(SPEECH_FRAME, '')
    .replace(OTHER_THAN_THAT, '')
    .replace(CONJUNCTION, '');
  s = capitalize(s.trim());
  const clinical = (terms?.(s).length ?? 0) > 0;
  if (COMPARED.test(s) || SUBORDINATE_ONLY.test(s)) return null;
  // "That is a hard thing to get over." says nothing without what it points at; "That could be either fluid or blood
  // from the injury." still states a clinical fact and is kept.
  if (POINTING_BACK.test(s) && (!clinical || POINTING_AT_NOTHING.test(s))) return null;
  // A removed lead may leave a pronoun with nothing before it ("Because it was nice."); one naming a clinical term is
  // kept, as the note's previous sentence may name what "it" is.
  if (!clinical && s !== sentence && /^(?:it|this|that)\s/i.test(s) && !/^(?:it|this|that)\s/i.test(sentence)) return null;
  const label = s.includes(':') || /\d/.test(s) || clinical;
  if (!label && !FINITE_VERB.test(s) && !SUBJECT.test(s) && SPOKEN_OPENING.test(s)) return null;
  return s;
}

/** "It is still sore." needs a sentence before it that names what "it" is: not as the first sentence of its section. */
export function needsReferent(sentence: string): boolean {
  return (
    /^(?:it|this|these)\s+(?:\w+ly\s+|also\s+|still\s+|just\s+)?(?:is|was|are|were|has|had|does|did|will|would|can|could|should|may|might|seems?|sounds?|looks?|goes|went|feels?|hurts?|helps?|started|stopped|gets?|got)\b/i.test(
      sentence,
    ) &&
    !/^it\s+(?:is|was)\s+(?:also\s+)?(?:recommended|important|likely|unlikely|unclear|possible|noted|advised)\b|^it\s+has\s+been\b.*\bsince\b|^this\s+is\s+an?\s/i.test(
      sentence,
    )
  );
}
