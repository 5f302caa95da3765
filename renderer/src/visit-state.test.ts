import { describe, expect, it } from 'vitest';
import type { PostStatus, Visit } from '../../app/contract/index.ts';
import { newerVisit } from './visit-state.ts';

const base: Visit = {
  id: 'v-1',
  consent: 'agreed',
  clinicianId: 'dr-lee',
  encounterId: 'e-1',
  patientId: 'p-1',
  patientName: 'Maria Gonzalez',
  visitType: 'follow-up',
  status: 'processing',
  revision: 3,
  startedAt: '2026-12-06T09:00:00.000Z',
  audioSeconds: 12,
  transcript: null,
  draft: null,
  post: null,
};
const post = (status: PostStatus['status'], updatedAt: string): PostStatus => ({ status, attempts: 1, updatedAt });

describe('newerVisit: an answer that arrives after a newer event does not win', () => {
  it("Stop's answer (processing) after the event of the finished draft keeps the draft", () => {
    const drafted: Visit = { ...base, status: 'draft', revision: 5 };
    const stopAnswer: Visit = { ...base, status: 'processing', revision: 3 };
    expect(newerVisit(drafted, stopAnswer)?.status).toBe('draft');
    expect(newerVisit(stopAnswer, drafted)?.status).toBe('draft');
  });

  it('the post status shown is the most recent the outbox reported, whichever copy carries it', () => {
    const signedEvent: Visit = { ...base, status: 'signed', revision: 7, post: post('posted', '2026-12-06T09:10:02.000Z') };
    const signAnswer: Visit = { ...base, status: 'signed', revision: 7, post: post('sending', '2026-12-06T09:10:01.000Z') };
    expect(newerVisit(signedEvent, signAnswer)?.post?.status).toBe('posted');
    // A later save (an amendment started) with no post yet still shows the newest post status.
    expect(newerVisit(signedEvent, { ...signAnswer, revision: 8, post: null })?.post?.status).toBe('posted');
  });

  it('another visit, or none, replaces what is shown', () => {
    const other: Visit = { ...base, id: 'v-2', revision: 1 };
    expect(newerVisit(base, other)).toBe(other);
    expect(newerVisit(base, null)).toBeNull();
    expect(newerVisit(null, base)).toBe(base);
  });

  it('copies without a revision (stored before revisions were counted) follow the latest one given', () => {
    const { revision: _r, ...old } = base;
    expect(newerVisit({ ...old, status: 'draft' }, { ...old, status: 'processing' })?.status).toBe('processing');
  });
});
