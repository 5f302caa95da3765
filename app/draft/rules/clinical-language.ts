/**
 * Clinical language for lay words, and the body system a finding belongs to.
 *   "i get short of breath when i walk" -> "... short of breath (dyspnea) ..."
 *   "Denies fever or chills."          -> system "Constitutional"
 * Translations are added beside the patient's words, never instead of them, so the evidence still reads the same.
 */

const LAY_TERMS: Array<[RegExp, string]> = [
  [/\b(short(?:ness)? of breath|winded|can ?not catch (?:my|her|his|their) breath)\b/i, 'dyspnea'],
  [/\b(throwing up|threw up|throw up|puking|puked)\b/i, 'vomiting'],
  [/\b(nauseous|nauseated|queasy|sick to (?:my|her|his|their) stomach)\b/i, 'nausea'],
  [/\b(belly ?ache|stomach ?ache|belly pain|stomach pain|tummy ache)\b/i, 'abdominal pain'],
  [/\bswelling (?:in|of) (?:my|her|his|their|the|both)? ?(?:legs|ankles|feet)\b/i, 'lower extremity edema'],
  [/\b(blood in (?:my|her|his|their|the) (?:urine|pee))\b/i, 'hematuria'],
  [/\b(blood in (?:my|her|his|their|the) (?:stool|stools|poop)|bloody stools?)\b/i, 'hematochezia'],
  [/\b(black|tarry) (?:stools?|poop)\b/i, 'melena'],
  [/\b(dizzy)\b/i, 'dizziness'],
  [/\b(light ?headed)\b/i, 'lightheadedness'],
  [/\b(tired all the time|always tired|exhausted|worn out|no energy|low energy)\b/i, 'fatigue'],
  [
    /\b(heart (?:is )?racing|racing heart|heart (?:is )?pounding|pounding in (?:my|her|his|their|the) chest|skipped beats?|fluttering)\b/i,
    'palpitations',
  ],
  [/\b(passed out|blacked out|fainted)\b/i, 'syncope'],
  [/\b(pins and needles)\b/i, 'paresthesia'],
  [/\b(high blood pressure)\b/i, 'hypertension'],
  [/\b(high cholesterol)\b/i, 'hyperlipidemia'],
  [/\b(blood sugars?|sugars?) (?:are|is|were|was|have been|has been|running|levels?)\b/i, 'glucose'],
  [/\b(runny nose)\b/i, 'rhinorrhea'],
  [/\b(stuffy nose|stuffed up|congested)\b/i, 'nasal congestion'],
  [/\b(water pills?)\b/i, 'diuretic'],
  [/\b(heart attack)\b/i, 'myocardial infarction'],
  [/\b(pink eye)\b/i, 'conjunctivitis'],
  [/\b(trouble sleeping|can ?not sleep|hard to sleep|difficulty sleeping)\b/i, 'insomnia'],
  [/\b(bruising|bruised|bruises)\b/i, 'ecchymosis'],
  [/\b(constipated)\b/i, 'constipation'],
  [/\b(itchy|itching)\b/i, 'pruritus'],
  [/\b(peeing (?:a lot|more)|going to the bathroom (?:a lot|more)|urinating (?:a lot|more))\b/i, 'urinary frequency'],
  [/\b(burning (?:when|with) (?:i |she |he )?(?:pee|urinate))\b/i, 'dysuria'],
  [/\b(heartburn)\b/i, 'reflux'],
  [/\b(sugar diabetes|diabetic)\b/i, 'diabetes'],
];

/** Adds the clinical term after each lay phrase it recognizes ("throwing up" -> "throwing up (vomiting)"). */
export function withClinicalTerms(sentence: string): string {
  let s = sentence;
  for (const [re, term] of LAY_TERMS) {
    if (new RegExp(`\\b${term}\\b`, 'i').test(s)) continue;
    const m = re.exec(s);
    if (!m) continue;
    const end = m.index + m[0].length;
    s = `${s.slice(0, end)} (${term})${s.slice(end)}`;
  }
  return s;
}

const SYSTEMS: Array<[string, RegExp]> = [
  [
    'Constitutional',
    /\b(fevers?|chills|night sweats|weight (?:loss|gain|changes?)|fatigue|tired|appetite|malaise|no acute distress|well[- ]appearing|sweats)\b/i,
  ],
  ['Eyes', /\b(vision|visual|eyes?|blurr(?:y|ed)|pupils?|conjunctiva)\b/i],
  [
    'Ears, nose, mouth and throat',
    /\b(ears?|hearing|nose|nasal|sinus(?:es)?|throat|mouth|congestion|rhinorrhea|tonsils?|pharynx|oropharynx|tympanic)\b/i,
  ],
  ['Neck', /\b(neck|thyroid|thyromegaly|lymphadenopathy|jugular)\b/i],
  [
    'Cardiovascular',
    /\b(chest pains?|heart|murmurs?|palpitations|edema|rubs?|gallops?|pulses?|cardiac|regular rate|carotid|bruit|pacemaker|defibrillator)\b/i,
  ],
  [
    'Respiratory',
    /\b(lungs?|breath(?:ing)?|cough(?:ing)?|wheez(?:e|es|ing)|rales|rhonchi|crackles|dyspnea|shortness of breath|respiratory|auscultation|apnea)\b/i,
  ],
  [
    'Gastrointestinal',
    /\b(abdomen|abdominal|belly|stomach|nausea|vomiting|diarrhea|constipation|bowel|stools?|reflux|heartburn|bloating|hematochezia|melena|bleeding|rebound|guarding|peritoneal)\b/i,
  ],
  [
    'Genitourinary',
    /\b(urin(?:e|ary|ation)|bladder|dysuria|hematuria|kidneys?|flank|incontinence|pee|peeing|prostate|vaginal|menstrua\w*|periods?)\b/i,
  ],
  [
    'Musculoskeletal',
    // "back and forth", "came back", "five feet, six inches" name no body part.
    /\b(knees?|shoulders?|hips?|(?<!\b(?:come|comes|came|coming|go|goes|went|going|get|gets|got|getting|brought|bring|call|called|at the)\s)back(?! and forth\b)|ankles?|wrists?|elbows?|joints?|muscles?|spine|range of motion|tenderness|swelling|strength|fingers?|toes?|(?<!\b(?:\d+|one|two|three|four|five|six|seven)\s)feet|foot|legs?|arms?)\b/i,
  ],
  ['Skin', /\b(skin|rash(?:es)?|lesions?|wounds?|incision|erythema|bruis\w*|ecchymosis|itch\w*|pruritus)\b/i],
  [
    'Neurological',
    /\b(headaches?|dizz\w*|numb\w*|tingling|paresthesia|weakness|seizures?|sensation|reflexes|gait|cranial nerves|memory|tremors?|syncope|lightheaded\w*)\b/i,
  ],
  ['Psychiatric', /\b(depress\w*|anxi\w*|mood|sleep\w*(?! apnea)|insomnia|suicidal|stress\w*|homicidal)\b/i],
  ['Endocrine', /\b(glucose|sugars?|diabetes|polyuria|polydipsia|heat intolerance|cold intolerance)\b/i],
];

/** The body system a review-of-systems or examination sentence is about (the first one it names), or null. */
export function bodySystemOf(sentence: string): string | null {
  let best: { system: string; at: number } | null = null;
  for (const [system, re] of SYSTEMS) {
    const m = re.exec(sentence);
    if (m && (best === null || m.index < best.at)) best = { system, at: m.index };
  }
  return best?.system ?? null;
}

/** "She denies nasal congestion, chest pain, or shortness of breath.": a report and the findings it lists. */
const LISTED_REPORT = /^((?:he|she|they|the patient)\s+(?:denies|reports|endorses))\s+([^.;:]+?)\.?$/i;

/**
 * A review-of-systems report whose findings belong to different body systems, one sentence per system in the order
 * said ("Ears, nose, mouth and throat: He denies nasal congestion." "Cardiovascular: He denies chest pain."
 * "Respiratory: He denies shortness of breath (dyspnea)."), as clinicians write the review; a finding no system
 * claims stays with the one before it. Null when the report names one system or none (its label is then the
 * sentence's own).
 */
export function reportBySystem(sentence: string): string[] | null {
  const m = LISTED_REPORT.exec(sentence.trim());
  if (!m || !m[1] || !m[2]) return null;
  // A list said with commas; "problems with her bowel or bladder" is one finding, not two.
  const commas = m[2].split(/\s*,\s*/);
  if (commas.length < 2) return null;
  const last = commas.at(-1)!.replace(/^(?:or|and)\s+/i, '');
  const items = [...commas.slice(0, -1), ...(bodySystemOf(last) ? last.split(/\s+(?:or|and)\s+/i) : [last])]
    .map((i) => i.trim())
    .filter(Boolean);
  const groups: Array<{ system: string | null; items: string[] }> = [];
  for (const item of items) {
    const system = bodySystemOf(item);
    const same = groups.find((g) => g.system === system);
    if (same && system) same.items.push(item);
    else if (!system && groups.length > 0) groups.at(-1)!.items.push(item);
    else groups.push({ system, items: [item] });
  }
  if (groups.filter((g) => g.system).length < 2) return null;
  const joiner = /denies/i.test(m[1]) ? 'or' : 'and';
  return groups.map((g) => {
    const list = g.items.length > 1 ? `${g.items.slice(0, -1).join(', ')} ${joiner} ${g.items.at(-1)}` : g.items[0]!;
    return `${g.system ? `${g.system}: ` : ''}${m[1]} ${list}.`;
  });
}

/** Where an examination sentence starts another finding: a subject and its verb, "there is", or "no <finding>". */
const FINDING_START =
  /^(?:(?:his|her|their|the)\s+)?(?:[a-z0-9+-]+\s+){0,2}?[a-z]+(?:'s\b|\s+(?:is|are|was|were|sounds?|looks?|seems?|shows?|has|have|does|feels?)\b)|^there (?:is|are)\b|^no\s+[a-z]/i;
const FINDING_JOINT = /,\s+(?:and\s+)?|\s+and,?\s+/g;

/**
 * An examination sentence that joins findings of different body systems, one sentence per system ("His heart sounds
 * nice and clear and his lungs are clear as well." -> "Cardiovascular: His heart sounds nice and clear."
 * "Respiratory: His lungs are clear as well."). It is cut only where a new finding starts (a subject and its verb,
 * "there is", "no ..."), so "nice and clear" and "swelling and erythema" stay whole; a part no system claims stays with
 * the one before it. Null when the findings belong to one system.
 */
export function findingsBySystem(sentence: string): string[] | null {
  const body = sentence.trim().replace(/[.]$/, '');
  const parts: Array<{ joint: string; text: string }> = [];
  let from = 0;
  let joint = '';
  for (const m of body.matchAll(FINDING_JOINT)) {
    const next = (m.index ?? 0) + m[0].length;
    if (!FINDING_START.test(body.slice(next))) continue;
    parts.push({ joint, text: body.slice(from, m.index ?? 0).trim() });
    joint = m[0];
    from = next;
  }
  // The sentence's own opening is a finding too ("Strength and sensation is per the template." is one statement).
  if (parts.length === 0 || !FINDING_START.test(parts[0]!.text)) return null;
  parts.push({ joint, text: body.slice(from).trim() });
  const groups: Array<{ system: string | null; text: string }> = [];
  for (const part of parts.filter((p) => p.text)) {
    const system = bodySystemOf(part.text);
    const last = groups.at(-1);
    if (last && (!system || !last.system || system === last.system)) {
      last.system ??= system;
      last.text += `${part.joint}${part.text}`;
    } else groups.push({ system, text: part.text });
  }
  if (groups.filter((g) => g.system).length < 2) return null;
  return groups.map((g) => {
    const text = g.text.charAt(0).toUpperCase() + g.text.slice(1);
    return `${g.system ? `${g.system}: ` : ''}${text}.`;
  });
}

/** History words the terminology does not name: body parts, injury, course, timing, treatment. */
const HISTORY_WORDS =
  /\b(back|knees?|hips?|shoulders?|neck|head|chest|arms?|legs?|foot|feet|ankles?|wrists?|hands?|elbows?|fingers?|toes?|stomach|abdomen|belly|throat|ears?|eyes?|skin|heart|lungs?|bladder|bowels?|pain|painful|ache|aches|aching|sore|hurt|hurts|hurting|killing|pop|popped|fell|injur\w*|twist\w*|swell\w*|therapy|therapist|counsel\w*|surgery|operation|hospital\w*|emergency|urgent care|medications?|medicines?|meds|pills?|ago|since|yesterday|weeks?|months?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|worse|worsening|better|improv\w*|sleep\w*|tired|dizzy|weak|numb\w*|tingl\w*|fevers?|cough\w*|appetite|weight|diet|exercis\w*|walk\w*|smok\w*|alcohol|drink\w*|work\w*|job)\b/i;
/** A sentence opening with the patient's name and a comma was said to them ("Martha, it has been a year."). */

/** Whether a sentence names a history word the terminology lacks (decision 0167). */
export function namesHistoryWord(sentence: string): boolean {
  return HISTORY_WORDS.test(sentence);
}
