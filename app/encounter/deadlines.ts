/**
 * Every wait between Stop and the draft has an end (docs/decisions/0185): recognition finishing, the chart
 * read for drafting context, the drafter. A wait that passes its deadline is given up in words and the
 * visit goes on another way (the stored audio recognized again on this computer, a draft without the chart)
 * or ends `failed` with a Retry; it never stays "processing".
 */
export interface VisitDeadlines {
  /** Recognition may take this long after Stop to hand over its transcript… */
  afterStopMs: number;
  /** …plus this much per second of recorded audio (a long visit on a busy machine is still catching up). */
  perAudioSecondMs: number;
  /** Recognizing the stored recording again from the start (the fallback, and Retry): base time… */
  storedMs: number;
  /** …plus this much per second of audio. */
  storedPerAudioSecondMs: number;
  /** The chart read (problems, medications) that gives the drafter and the recognizer context. */
  chartMs: number;
  /** One draft (a language model has its own, shorter limit and falls back to the built-in drafter). */
  draftMs: number;
}

export const DEFAULT_VISIT_DEADLINES: VisitDeadlines = {
  afterStopMs: 120_000,
  perAudioSecondMs: 1_000,
  storedMs: 120_000,
  storedPerAudioSecondMs: 2_000,
  chartMs: 20_000,
  draftMs: 300_000,
};

/** A deadline passed; `message` says what did not finish, in words. */
export class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed';
}

/** "45 s", "2 min", "2.5 min": how a person says a wait. */
export function spokenDuration(ms: number): string {
  if (ms < 90_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  return `${Math.round(ms / 6_000) / 10} min`;
}

/**
 * `work`, or a DeadlinePassed once `ms` have passed ("<what> did not finish within 2 min"). The work is
 * not stopped by this: `onLate` is given the chance to stop it (close a recognizer), and a late answer is
 * ignored.
 */
export function within<T>(work: Promise<T>, ms: number, what: string, onLate?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settled first, so the race is lost to the deadline, not to the error that stopping the work causes.
      reject(new DeadlinePassed(`${what} did not finish within ${spokenDuration(ms)}`));
      try {
        onLate?.();
      } catch {
        // stopping late work is best effort; the deadline has already spoken
      }
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** An error as words a person can read next to the visit. */
export function inWords(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Deadlines set by IT or a test through `SCRIBE_VISIT_DEADLINES` (JSON, milliseconds, e.g. `{"draftMs":60000}`).
 * Unknown names and values that are not milliseconds are refused in words, never ignored.
 */
export function deadlinesFromJson(text: string | undefined): Partial<VisitDeadlines> {
  if (!text?.trim()) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`SCRIBE_VISIT_DEADLINES is not JSON: ${text}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error('SCRIBE_VISIT_DEADLINES must be a JSON object of milliseconds');
  const known = Object.keys(DEFAULT_VISIT_DEADLINES);
  const out: Partial<VisitDeadlines> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!known.includes(name)) throw new Error(`SCRIBE_VISIT_DEADLINES: no deadline "${name}" (known: ${known.join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new Error(`SCRIBE_VISIT_DEADLINES: ${name} must be a number of milliseconds, 0 or more`);
    out[name as keyof VisitDeadlines] = value;
  }
  return out;
}
