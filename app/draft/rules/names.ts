import type { Utterance } from '../utterances.ts';

/**
 * Names said to a person (decision 0227). In a visit transcribed without punctuation the clinician's "alright david so
 * ...", "... follow up in two weeks carolyn" and "dylan it took some x-rays" have no comma to set the name off, and the
 * name went into the note as part of a sentence ("Follow up in 2 weeks carolyn.", "Megan david.", "Dylan it took some
 * x-rays ..."). The names a visit uses are read from how its first turns greet or introduce the patient; a name said to
 * someone (at the start of a clause before its subject, or closing a clause) is taken out of what is rewritten, and a
 * name the sentence is about ("karen has been having this eye twitch", "it does not seem to be bothering karen") stays.
 */

/** Words a greeting may be followed by that are no name ("hi there", "hey doc", "okay so we are recording"). */
const NOT_A_NAME = new Set(
  (
    'there doc doctor docs everyone everybody guys folks all again sir maam ma am man buddy dear friend how what who why when where ' +
    'good nice well so it its i im ive ill you youre your we were well thanks thank just now today yeah yes okay ok alright right ' +
    'lets let this that the a an and or but if is are was were be do did does have has had can could would will should my me ' +
    'dragon scribe dax document mister mrs miss ms mr dr nurse team back in on to for with from about come go see glad great perfect sure hello hi hey'
  ).split(' '),
);

const GREETING = String.raw`(?:hi|hey|hello|good morning|good afternoon|good evening|morning|well hello|alright|all right|okay|ok|so)`;
/** "hi virginia how are you", "alright brittany so i see", "so anna good to see you", "okay raymond it looks like". */
const GREETED = new RegExp(
  String.raw`^(?:${GREETING}[,\s]+)+([a-z]{3,})[,\s]+(?=(?:how|how're|what's|what|so|good|nice|it's|it|i|i'm|well|great)\b)`,
  'i',
);
/** "carolyn is a 34 -year-old female ...", "karen nelson is a 3 -year-old ...": the dictated opening names the patient. */
const INTRODUCED = /^(?:(?:so|okay|alright)\s+)?([a-z]{3,})(?:\s+([a-z]{3,}))?\s+is\s+a\s+\d+\s*-?\s*(?:year|month)s?\s*-?\s*old\b/i;

/** How many of a visit's first turns are read for names. */
const FIRST_TURNS = 3;

/** The names a visit's first turns greet or introduce the patient by (lower case). */
export function visitNames(utterances: Utterance[]): Set<string> {
  const names = new Set<string>();
  const turns = [...new Set(utterances.map((u) => u.turn))].slice(0, FIRST_TURNS);
  for (const u of utterances) {
    if (!turns.includes(u.turn)) continue;
    const text = u.text.toLowerCase();
    const greeted = GREETED.exec(text);
    if (greeted?.[1]) names.add(greeted[1]);
    const introduced = INTRODUCED.exec(text);
    if (introduced?.[1]) names.add(introduced[1]);
    if (introduced?.[2]) names.add(introduced[2]);
  }
  for (const n of names) if (NOT_A_NAME.has(n.replace(/'/g, ''))) names.delete(n);
  return names;
}

/** Words after which a name is the one spoken to, not the sentence's subject or object. */
const LEAD_BEFORE = String.raw`(?:^|\b(?:so|okay|ok|alright|all right|well|and|now|thanks|thank you|hey|hi|hello|great|good|perfect|sure|yeah|yes|no)[,\s]+)`;
/** Words that start the clause said after the name ("dylan it took ...", "david i'm looking at ..."). */
const CLAUSE_AFTER = String.raw`(?=(?:i|i'm|i'll|i've|i'd|it|it's|so|we|we're|we'll|we've|you|you're|you've|your|how|what|what's|let's|let|okay|alright|there|there's|for|just|if|when|do|did|are|have)\b)`;
/** Words after which a name at the end is an object ("to karen", "bothering karen"), not someone spoken to. */
const OBJECT_BEFORE = /\b(?:to|for|with|about|from|at|by|of|on|tell|ask|see|seen|saw|call|help|thank|thanks|let|and|or|\w+ing|\w+ed)\s*$/i;

/** The text without the names said to someone in it; the text as it was when it has none. */
export function withoutNamesSaidTo(text: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return text;
  const name = `(?:${[...names].join('|')})`;
  let t = text.replace(new RegExp(String.raw`\b(${name})(?:[,\s]+\1\b)+`, 'gi'), '$1');
  t = t.replace(new RegExp(String.raw`(${LEAD_BEFORE})${name}(?:\s+${name})*[,\s]+${CLAUSE_AFTER}`, 'gi'), '$1');
  // "... follow up in two weeks carolyn", "... everything looks good karen so ...": a name closing the clause.
  t = t.replace(
    new RegExp(String.raw`[,\s]+${name}(?:\s+${name})*(?=\s*[.?!]?\s*$|[,\s]+(?:so|okay|alright|and|now)\b)`, 'gi'),
    (m, offset: number) => (OBJECT_BEFORE.test(t.slice(0, offset)) ? m : ''),
  );
  return t.trim() === '' ? text : t.trim();
}

/** Each utterance with the names said to someone taken out of its text (what is rewritten into the note). */
export function withoutNamesSpokenTo(utterances: Utterance[]): Utterance[] {
  const names = visitNames(utterances);
  if (names.size === 0) return utterances;
  return utterances.map((u) => {
    const text = withoutNamesSaidTo(u.text, names);
    return text === u.text ? u : { ...u, text };
  });
}
