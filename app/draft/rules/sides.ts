/**
 * Sides of the body: a sentence naming one side of a body part that the rest of the visit names mostly on the other
 * side ("it's not the right knee, it's the left knee") is left out. A wrong side is worse than a missing sentence.
 */

const SIDED_PART =
  /\b(left|right)(?:[- ]sided)?\s+(?:[a-z]+\s+)?(knee|shoulder|elbow|wrist|hand|foot|ankle|hip|leg|arm|eye|ear|side|breast|finger|thumb|toe|lung|kidney|flank|heel|calf|thigh|forearm)s?\b/gi;

/** How often the visit names each side of each body part ("left knee" 5, "right knee" 1). */
export function sideMentions(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(SIDED_PART)) {
    const key = `${m[1]!.toLowerCase()} ${m[2]!.toLowerCase()}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * A sentence naming one side of a body part the rest of the visit names mostly on the other side ("it's not the
 * right knee, it's the left knee") is left out: a wrong side is worse than a missing sentence.
 */
export function contradictsSides(sentence: string, counts: ReadonlyMap<string, number>): boolean {
  for (const m of sentence.matchAll(SIDED_PART)) {
    const side = m[1]!.toLowerCase();
    const part = m[2]!.toLowerCase();
    const other = side === 'left' ? 'right' : 'left';
    if ((counts.get(`${other} ${part}`) ?? 0) > (counts.get(`${side} ${part}`) ?? 0)) return true;
  }
  return false;
}
