/** The longest text one note section may hold (the core's `draft.updateSection` / `queue.save` limit). */
export const SECTION_MAX_CHARS = 100_000;

/** Shown next to a section when it nears or passes the limit; null while it is comfortably short. */
export function sectionLimitNote(text: string): { over: boolean; words: string } | null {
  const left = SECTION_MAX_CHARS - text.length;
  if (left < 0)
    return {
      over: true,
      words: `This section is ${(-left).toLocaleString('en-US')} characters over the limit of ${SECTION_MAX_CHARS.toLocaleString('en-US')}; shorten it to save.`,
    };
  if (left < 2_000) return { over: false, words: `${left.toLocaleString('en-US')} characters left in this section.` };
  return null;
}
