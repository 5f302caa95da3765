/**
 * Active editing time, measured in the note editor (docs/decisions/0061-active-editing-time.md).
 *
 * The person is active while the editor has focus and they type, select, click or scroll in it. The time between
 * two such signs of activity (focus counts as one) is credited in full up to the idle threshold (30 s by
 * default: reading a sentence, thinking); from a longer pause only the first 30 s count, the rest is idle
 * and excluded. Losing focus (blur, another window, hidden tab) ends the stretch at that moment.
 *
 * Pure logic on an injected clock, so it is tested with a fake one; `attachActivityTracker` binds it to
 * the DOM and reports through the contract call metrics.editorActivity.
 */
export const IDLE_THRESHOLD_MS = 30_000;
export const REPORT_EVERY_MS = 15_000;
const ACTIVITY_EVENTS = ['keydown', 'input', 'pointerdown', 'mouseup', 'wheel'] as const;

export interface ActivityTrackerOptions {
  /** Milliseconds on a monotonic clock (performance.now in the browser). */
  now: () => number;
  idleThresholdMs?: number;
}

export interface ActivityTracker {
  focus(): void;
  /** A keystroke, input, click, mouse selection or scroll inside the focused editor. */
  activity(): void;
  blur(): void;
  /** Active time not yet taken; resets it. Counts the open stretch up to now (never more than the threshold). */
  take(): number;
  /** All active time so far, taken or not. */
  readonly totalMs: number;
  readonly focused: boolean;
}

export function createActivityTracker(options: ActivityTrackerOptions): ActivityTracker {
  const threshold = options.idleThresholdMs ?? IDLE_THRESHOLD_MS;
  let focused = false;
  /** Time of the last sign of activity (or focus). */
  let mark = 0;
  /** Part of the stretch since `mark` already credited by an earlier take(). */
  let credited = 0;
  let pending = 0;
  let total = 0;

  function credit(until: number): void {
    const due = Math.min(Math.max(0, until - mark), threshold);
    if (due > credited) {
      pending += due - credited;
      total += due - credited;
      credited = due;
    }
  }

  function closeStretch(at: number): void {
    credit(at);
    mark = at;
    credited = 0;
  }

  return {
    focus() {
      if (focused) return;
      focused = true;
      mark = options.now();
      credited = 0;
    },
    activity() {
      if (!focused) return this.focus();
      closeStretch(options.now());
    },
    blur() {
      if (!focused) return;
      closeStretch(options.now());
      focused = false;
    },
    take() {
      if (focused) credit(options.now());
      const out = pending;
      pending = 0;
      return out;
    },
    get totalMs() {
      return total;
    },
    get focused() {
      return focused;
    },
  };
}

export interface AttachOptions {
  /** Sends active milliseconds to the core; a rejected send is retried with the next report. */
  send: (activeMs: number) => Promise<unknown>;
  now?: () => number;
  idleThresholdMs?: number;
  reportEveryMs?: number;
}

/**
 * Watch an editor container: focus inside it starts a stretch, keys/input/selection/clicks inside it are
 * activity, focus leaving it (or the window, or the tab being hidden) ends the stretch and reports.
 * Returns a detach function that reports what is left.
 */
export function attachActivityTracker(root: HTMLElement, options: AttachOptions): () => void {
  const doc = root.ownerDocument;
  const win = doc.defaultView!;
  const tracker = createActivityTracker({ now: options.now ?? (() => win.performance.now()), idleThresholdMs: options.idleThresholdMs });
  let unsent = 0;
  let sending = false;

  /** One send at a time. What comes due meanwhile (a blur during a send) goes as soon as the send is done. */
  function report(): void {
    unsent += tracker.take();
    const ms = Math.round(unsent);
    if (ms < 1 || sending) return;
    sending = true;
    unsent -= ms;
    options.send(ms).then(
      () => {
        sending = false;
        if (Math.round(unsent) >= 1 && !tracker.focused) report();
      },
      () => {
        sending = false;
        unsent += ms;
      }, // kept for the next report: the core may be busy or restarting
    );
  }

  const inside = (node: EventTarget | null) => node instanceof win.Node && root.contains(node);
  const onFocusIn = () => tracker.focus();
  const onFocusOut = (e: FocusEvent) => {
    if (inside(e.relatedTarget)) return; // moving between sections of the same note
    tracker.blur();
    report();
  };
  const onActivity = () => {
    if (inside(doc.activeElement)) tracker.activity();
  };
  const onLeave = () => {
    if (!tracker.focused) return;
    tracker.blur();
    report();
  };
  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') onLeave();
  };
  const onWindowFocus = () => {
    if (inside(doc.activeElement)) tracker.focus();
  };

  root.addEventListener('focusin', onFocusIn);
  root.addEventListener('focusout', onFocusOut);
  // Only what the person does: keys (typing, selecting with Shift+arrows), input, pointer presses and
  // releases (clicking, selecting with the mouse). Not 'selectionchange', which the app's own re-renders fire.
  for (const type of ACTIVITY_EVENTS) root.addEventListener(type, onActivity);
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('blur', onLeave);
  win.addEventListener('focus', onWindowFocus);
  win.addEventListener('pagehide', onLeave);
  const timer = win.setInterval(report, options.reportEveryMs ?? REPORT_EVERY_MS);
  if (inside(doc.activeElement)) tracker.focus();

  return () => {
    win.clearInterval(timer);
    root.removeEventListener('focusin', onFocusIn);
    root.removeEventListener('focusout', onFocusOut);
    for (const type of ACTIVITY_EVENTS) root.removeEventListener(type, onActivity);
    doc.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener('blur', onLeave);
    win.removeEventListener('focus', onWindowFocus);
    win.removeEventListener('pagehide', onLeave);
    tracker.blur();
    report();
  };
}
