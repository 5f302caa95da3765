import { describe, expect, it } from 'vitest';
import type { EhrInfo, Session, User } from '../contract/index.ts';
import { createSessionAnnouncer } from './index.ts';

// What the windows are told when the core thinks the session may have moved (decision 0187).

const lee: User = { id: 'dr-lee', name: 'Dr Lee', role: 'clinician' };
const sam: User = { id: 'sam', name: 'Sam', role: 'scribe' };
const ehr: EhrInfo = { mode: 'sandbox', label: 'Sandbox EHR', baseUrl: 'http://127.0.0.1:1/fhir/R4', auth: 'none', connected: true };

function announcerOver(start: Session) {
  let now = start;
  const told: string[] = [];
  const announce = createSessionAnnouncer(() => now, {
    session: (s) => told.push(`session:${s.user?.id ?? 'nobody'}`),
    ehr: (e) => told.push(`ehr:${e.writePlan?.mode ?? 'no plan'}:${e.connected ? 'connected' : 'signed out'}`),
  });
  return { told, announce, set: (s: Session) => (now = s) };
}

describe('session announcer', () => {
  it('the same session announced again tells nobody', () => {
    const a = announcerOver({ user: lee, ehr, profiles: [lee, sam] });
    a.announce();
    a.set({ user: { ...lee }, ehr: { ...ehr }, profiles: [lee, sam] });
    a.announce();
    expect(a.told).toEqual([]);
  });

  it("the write plan read for the same person is the EHR's change (ehr.changed), not a new session", () => {
    const a = announcerOver({ user: lee, ehr, profiles: [lee, sam] });
    a.set({ user: lee, ehr: { ...ehr, writePlan: { mode: 'direct', summary: 'Direct write-back.', notSent: [] } }, profiles: [lee, sam] });
    a.announce();
    a.announce();
    a.set({
      user: lee,
      ehr: { ...ehr, connected: false, writePlan: { mode: 'direct', summary: 'Direct write-back.', notSent: [] } },
      profiles: [lee, sam],
    });
    a.announce();
    expect(a.told).toEqual(['ehr:direct:connected', 'ehr:direct:signed out']);
  });

  it('a change of who is acting is a new session, told once', () => {
    const a = announcerOver({ user: null, ehr, profiles: [] });
    a.set({ user: lee, ehr: { ...ehr, connected: true }, profiles: [] });
    a.announce();
    a.announce();
    a.set({ user: null, ehr: { ...ehr, connected: false }, profiles: [] });
    a.announce();
    expect(a.told).toEqual(['session:dr-lee', 'session:nobody']);
  });
});
