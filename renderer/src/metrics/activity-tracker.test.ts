// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { attachActivityTracker, createActivityTracker } from './activity-tracker.ts';

function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** Type every `every` ms for `forMs` ms. */
function typeFor(tracker: { activity(): void }, clock: ReturnType<typeof fakeClock>, forMs: number, every = 200) {
  for (let done = 0; done < forMs; done += every) {
    clock.advance(every);
    tracker.activity();
  }
}

describe('active editing time', () => {
  it('counts typing, caps idle pauses at the threshold and stops at blur', () => {
    const clock = fakeClock();
    const t = createActivityTracker({ now: clock.now, idleThresholdMs: 30_000 });
    t.focus();
    typeFor(t, clock, 10_000); // 10 s of typing
    clock.advance(5_000); // a short pause (reading): counts
    typeFor(t, clock, 4_000);
    clock.advance(120_000); // walked away: only 30 s count
    typeFor(t, clock, 6_000);
    clock.advance(2_000);
    t.blur(); // 2 s since the last key count
    clock.advance(60_000); // not focused: nothing counts
    t.activity(); // a stray event while unfocused refocuses but adds nothing yet
    t.blur();
    // the first key after the long pause closes it (120.2 s → 30 s), so that run adds 5.8 s of its own
    expect(t.totalMs).toBe(10_000 + 5_000 + 4_000 + 30_000 + 5_800 + 2_000);
  });

  it('reports open stretches on take() without counting an idle gap twice', () => {
    const clock = fakeClock();
    const t = createActivityTracker({ now: clock.now, idleThresholdMs: 30_000 });
    t.focus();
    typeFor(t, clock, 3_000);
    clock.advance(20_000);
    expect(t.take()).toBe(23_000); // the open pause is provisionally active
    clock.advance(40_000); // the pause goes on: 60 s in all, 30 s of it count
    expect(t.take()).toBe(10_000);
    clock.advance(1_000);
    t.activity();
    expect(t.take()).toBe(0);
    t.blur();
    expect(t.totalMs).toBe(33_000);
  });

  it('ignores activity before focus and time before the first focus', () => {
    const clock = fakeClock();
    const t = createActivityTracker({ now: clock.now });
    clock.advance(50_000);
    t.blur();
    expect(t.take()).toBe(0);
    t.focus();
    clock.advance(1_500);
    t.blur();
    expect(t.totalMs).toBe(1_500);
  });
});

describe('attachActivityTracker (DOM)', () => {
  it('reports on blur, keeps focus moves inside the note as one stretch, and resends after a failed send', async () => {
    document.body.innerHTML = '<div id="note"><textarea id="a"></textarea><textarea id="b"></textarea></div><button id="out">x</button>';
    const clock = fakeClock();
    const sent: number[] = [];
    let fail = true;
    const detach = attachActivityTracker(document.getElementById('note')!, {
      now: clock.now,
      reportEveryMs: 1_000_000,
      send: async (ms) => {
        if (fail) throw new Error('core busy');
        sent.push(ms);
      },
    });
    const a = document.getElementById('a') as HTMLTextAreaElement;
    const b = document.getElementById('b') as HTMLTextAreaElement;
    a.focus();
    clock.advance(2_000);
    a.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }));
    clock.advance(1_000);
    b.focus(); // inside the note: not a blur
    clock.advance(3_000);
    b.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }));
    clock.advance(500);
    (document.getElementById('out') as HTMLButtonElement).focus(); // leaves the note: report 6.5 s (send fails)
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual([]);
    fail = false;
    b.focus();
    clock.advance(1_000);
    detach(); // reports the rest plus the failed 6.5 s
    await Promise.resolve();
    expect(sent).toEqual([7_500]);
  });

  it('sends what came due during a send as soon as that send is done', async () => {
    document.body.innerHTML = '<div id="note"><textarea id="a"></textarea></div><button id="out">x</button>';
    const clock = fakeClock();
    const sent: number[] = [];
    let release: () => void = () => undefined;
    const detach = attachActivityTracker(document.getElementById('note')!, {
      now: clock.now,
      reportEveryMs: 1_000_000,
      send: (ms) => {
        sent.push(ms);
        return sent.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
    });
    const a = document.getElementById('a') as HTMLTextAreaElement;
    a.focus();
    clock.advance(2_000);
    (document.getElementById('out') as HTMLButtonElement).focus(); // sends 2 s, still in flight
    a.focus();
    clock.advance(3_000);
    (document.getElementById('out') as HTMLButtonElement).focus(); // 3 s due while the first send is pending
    expect(sent).toEqual([2_000]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([2_000, 3_000]);
    detach();
  });
});
