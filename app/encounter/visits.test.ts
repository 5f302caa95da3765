import { describe, expect, it } from 'vitest';
import { ScribeError, type Draft, type Transcript, type User, type Visit } from '../contract/index.ts';
import { VISIT_RECORD } from './desk.ts';
import {
  createVisitService,
  type DraftRequest,
  type LifecycleEvent,
  type PostUpdate,
  type SignedNote,
  type StreamingSession,
  type VisitRecords,
} from './index.ts';

// The visit service on its own, with in-memory ports: what the rooms do, without a vault, an EHR or a recognizer.

const clinician: User = { id: 'dr-lee', name: 'Dr Lee', role: 'clinician', fhirUser: 'Practitioner/dr-lee' };
const SECOND = Buffer.alloc(32_000).toString('base64'); // one second of 16 kHz 16-bit silence

function memoryStorage() {
  const visits = new Map<string, { json: Map<string, unknown>; audio: Buffer[] }>();
  const of = (id: string) => {
    let v = visits.get(id);
    if (!v) visits.set(id, (v = { json: new Map(), audio: [] }));
    return v;
  };
  return {
    stored: (id: string) => of(id).json.get(VISIT_RECORD) as Visit | undefined,
    visit: (id: string): VisitRecords => ({
      writeJson: async (key, value) => void of(id).json.set(key, structuredClone(value)),
      readJson: async <T>(key: string) => (structuredClone(of(id).json.get(key)) as T) ?? null,
      appendAudio: async (pcm) => void of(id).audio.push(Buffer.from(pcm)),
      readAudio: async () => Buffer.concat(of(id).audio),
      audioBytes: async () => Buffer.concat(of(id).audio).length,
    }),
    listVisits: async () => [...visits.keys()],
  };
}

function fakeOutbox() {
  const notes = new Map<string, { note: SignedNote; status: PostUpdate }>();
  return {
    notes,
    enqueue: async (note: SignedNote) =>
      void notes.set(note.noteId, { note, status: { noteId: note.noteId, status: 'queued', attempts: 0, updatedAt: note.signedAt } }),
    amend: async (_original: { documentReferenceId: string; versionId: string }, note: SignedNote) =>
      void notes.set(note.noteId, { note, status: { noteId: note.noteId, status: 'queued', attempts: 0, updatedAt: note.signedAt } }),
    status: async (noteId: string) => notes.get(noteId)?.status ?? null,
    /** What the real outbox does when it moves a note on: its record changes, then it reports. */
    move(noteId: string, change: Partial<PostUpdate>): PostUpdate {
      const entry = notes.get(noteId)!;
      entry.status = { ...entry.status, ...change, updatedAt: new Date().toISOString() };
      return entry.status;
    },
  };
}

function setup(gender?: string, storage = memoryStorage(), birthDate?: string) {
  const outbox = fakeOutbox();
  const events: { event: string; payload: unknown }[] = [];
  const lifecycle: LifecycleEvent[] = [];
  const pushed: number[] = [];
  const drafts: DraftRequest[] = [];
  const notices: Array<((message: string) => void) | undefined> = [];
  const session: StreamingSession = {
    push: (pcm) => void pushed.push(pcm.length),
    pause() {},
    resume() {},
    finish: async (): Promise<Transcript> => ({
      engine: 'test',
      segments: [{ id: 's1', start: 0, end: 1, text: 'blood pressure is fine', speaker: 'clinician' }],
    }),
    close() {},
  };
  const visits = createVisitService({
    storage,
    transcriber: {
      start: (opts) => {
        notices.push(opts.onNotice);
        return session;
      },
    },
    drafter: {
      draft: async (req): Promise<Draft> => {
        drafts.push(req);
        const plan = { id: 'plan', title: 'Plan', text: 'half written', edited: false, sentences: [] };
        // As a language model does: each section as it finishes, then the whole draft.
        req.onSection?.(plan);
        if (req.signal?.aborted) return stoppedDraft(req);
        return {
          engine: 'builtin',
          engineVersion: 't',
          template: req.template ?? 'general-visit',
          version: 1,
          generatedAt: new Date().toISOString(),
          sections: [
            // With a birth date on the chart, a history opening cited to it (as the built-in drafter writes it).
            ...(req.context?.patient?.birthDate
              ? [
                  {
                    id: 'hpi',
                    title: 'History',
                    text: 'Ana Example is a 59-year-old female.',
                    edited: false,
                    sentences: [
                      {
                        text: 'Ana Example is a 59-year-old female.',
                        evidence: [],
                        chart: [
                          {
                            source: `${req.context.patient.reference}#birthDate`,
                            value: req.context.patient.birthDate,
                            asOf: '2026-12-06',
                          },
                        ],
                      },
                    ],
                  },
                ]
              : []),
            { id: 'plan', title: 'Plan', text: req.transcript.segments.map((s) => s.text).join(' '), edited: false, sentences: [] },
          ],
        } as Draft;
      },
    },
    schedule: {
      todaysEncounters: async () => [
        {
          encounterId: 'enc-1',
          patientId: 'pat-1',
          patientName: 'Ana Example',
          ...(gender ? { gender } : {}),
          ...(birthDate ? { birthDate } : {}),
          start: '2026-12-06T09:00:00Z',
          visitType: 'Follow-up visit',
          status: 'arrived',
        },
      ],
      patientContext: async () => ({ problems: ['Hypertension'], medications: ['lisinopril'] }),
    },
    outbox,
    emit: (event, payload) => void events.push({ event, payload }),
    lifecycle: (event) => void lifecycle.push(event),
  });
  return { visits, storage, outbox, events, lifecycle, pushed, drafts, notices };
}

/** What a language-model drafter gives when stopped: the built-in draft, saying so. */
function stoppedDraft(req: DraftRequest): Draft {
  return {
    engine: 'builtin',
    engineVersion: 't',
    template: req.template ?? 'general-visit',
    version: 1,
    generatedAt: new Date().toISOString(),
    fallback: 'Drafting was stopped; this is the built-in draft.',
    sections: [{ id: 'plan', title: 'Plan', text: 'built-in plan', edited: false, sentences: [] }],
  } as Draft;
}

async function drafted(s: ReturnType<typeof setup>): Promise<Visit> {
  const started = await s.visits.start(clinician, 'enc-1', 'agreed');
  await s.visits.appendAudio(started.id, 0, SECOND);
  await s.visits.stop(started.id);
  await s.visits.idle();
  return s.visits.get(started.id);
}

describe('capture', () => {
  it('a visit a stopped run left processing is failed in words when read again, and Retry drafts it from its audio', async () => {
    const first = setup();
    const done = await drafted(first);
    await first.storage.visit(done.id).writeJson(VISIT_RECORD, { ...first.storage.stored(done.id)!, status: 'processing', draft: null });
    const again = setup(undefined, first.storage); // the next start of Scribe, same vault
    const found = await again.visits.get(done.id);
    expect(found.status).toBe('failed');
    expect(found.error).toBe(
      "Scribe stopped before this visit's note was made. The recording is kept on this computer: Retry recognizes and drafts it again.",
    );
    expect(again.storage.stored(done.id)?.status).toBe('failed');
    expect((await again.visits.retry(done.id)).status).toBe('processing');
    await again.visits.idle();
    const retried = await again.visits.get(done.id);
    expect(retried.status).toBe('draft');
    expect(retried.error).toBeUndefined();
    expect(retried.draft?.sections[0]?.text).toBe('blood pressure is fine');
  });

  it('stores and recognizes each chunk once, in order, then drafts from the visit type template', async () => {
    const s = setup();
    const v = await s.visits.start(clinician, 'enc-1', 'agreed');
    expect(v.status).toBe('recording');
    expect((await s.visits.appendAudio(v.id, 0, SECOND)).audioSeconds).toBe(1);
    expect((await s.visits.appendAudio(v.id, 0, SECOND)).audioSeconds).toBe(1); // a retried chunk is not stored twice
    await expect(s.visits.appendAudio(v.id, 2, SECOND)).rejects.toMatchObject({ code: 'conflict' });
    expect(s.pushed).toEqual([16_000]);
    expect((await s.visits.stop(v.id)).status).toBe('processing');
    await s.visits.idle();
    const done = await s.visits.get(v.id);
    expect(done.status).toBe('draft');
    expect(done.draft?.sections[0]?.text).toBe('blood pressure is fine');
    expect(s.drafts[0]?.template).toBe('soap-follow-up');
    expect(s.drafts[0]?.context).toEqual({
      problems: ['Hypertension'],
      medications: ['lisinopril'],
      patient: { reference: 'Patient/pat-1', name: 'Ana Example' },
      visitDate: localDay(done.startedAt),
    });
    expect(s.lifecycle.map((e) => e.type)).toEqual(['visit.started', 'visit.stopped', 'draft.ready']);
    expect(s.events.filter((e) => e.event === 'visit.updated').map((e) => (e.payload as Visit).status)).toEqual([
      'recording',
      'processing',
      'processing',
      'draft',
    ]);
  });

  it('sends each drafted section to the window as it finishes; a stop asked while transcribing stops the first draft only', async () => {
    const plain = setup();
    const v0 = await drafted(plain);
    expect(plain.drafts[0]?.signal?.aborted).toBe(false);
    expect(plain.events.filter((e) => e.event === 'draft.section')).toEqual([
      { event: 'draft.section', payload: { visitId: v0.id, section: expect.objectContaining({ id: 'plan', text: 'half written' }) } },
    ]);
    await expect(plain.visits.stopDrafting(v0.id)).resolves.toEqual({ stopped: false }); // nothing is being drafted

    const s = setup();
    const v = await s.visits.start(clinician, 'enc-1', 'agreed');
    await s.visits.appendAudio(v.id, 0, SECOND);
    await s.visits.stop(v.id);
    await expect(s.visits.stopDrafting(v.id)).resolves.toEqual({ stopped: true });
    await s.visits.idle();
    const done = await s.visits.get(v.id);
    expect(s.drafts[0]?.signal?.aborted).toBe(true);
    // The stopped draft is the built-in one; the half-written section never reached the window or the visit.
    expect(done.draft?.fallback).toMatch(/stopped/);
    expect(done.draft?.sections[0]?.text).toBe('built-in plan');
    expect(s.events.filter((e) => e.event === 'draft.section')).toEqual([]);
    // A later redraft is not stopped by it.
    await s.visits.regenerate(v.id, 'general-visit');
    expect(s.drafts[1]?.signal?.aborted).toBe(false);
  });

  it('passes who the patient is on the chart to the drafter: sex for pronouns (FHIR gender other/unknown: none), birth date, name, visit day', async () => {
    const female = setup('female', undefined, '1967-03-02');
    const visit = await drafted(female);
    expect(visit.patientGender).toBe('female');
    expect(visit.patientBirthDate).toBe('1967-03-02');
    expect(female.drafts[0]?.context).toEqual({
      problems: ['Hypertension'],
      medications: ['lisinopril'],
      sex: 'female',
      patient: { reference: 'Patient/pat-1', name: 'Ana Example', birthDate: '1967-03-02', gender: 'female' },
      visitDate: localDay(visit.startedAt),
    });
    const unknown = setup('unknown');
    const other = await drafted(unknown);
    expect(unknown.drafts[0]?.context).toEqual({
      problems: ['Hypertension'],
      medications: ['lisinopril'],
      patient: { reference: 'Patient/pat-1', name: 'Ana Example', gender: 'unknown' },
      visitDate: localDay(other.startedAt),
    });
  });

  it("passes the transcriber's notice (a practice server that failed) to the visit's readers as transcript.notice", async () => {
    const s = setup();
    const v = await s.visits.start(clinician, 'enc-1', 'agreed');
    await s.visits.appendAudio(v.id, 0, SECOND);
    s.notices[0]!('The transcription server https://asr.clinic.local could not be reached (ECONNREFUSED)');
    expect(s.events.filter((e) => e.event === 'transcript.notice')).toEqual([
      {
        event: 'transcript.notice',
        payload: { visitId: v.id, message: 'The transcription server https://asr.clinic.local could not be reached (ECONNREFUSED)' },
      },
    ]);
  });

  it('refuses audio once stopped, and a visit not on the schedule', async () => {
    const s = setup();
    const v = await drafted(s);
    await expect(s.visits.appendAudio(v.id, 1, SECOND)).rejects.toMatchObject({ code: 'conflict' });
    await expect(s.visits.start(clinician, 'enc-9', 'agreed')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('drafting', () => {
  it('saves an edit only on top of the version the editor had', async () => {
    const s = setup();
    const v = await drafted(s);
    const next = await s.visits.updateSection(v.id, 'plan', 'Continue lisinopril.', 1);
    expect(next.version).toBe(2);
    const stale = await s.visits.updateSection(v.id, 'plan', 'Older text', 1).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ScribeError);
    expect((stale as ScribeError).code).toBe('conflict');
    expect((await s.visits.get(v.id)).draft?.sections[0]?.text).toBe('Continue lisinopril.');
  });
});

describe('signing: the outbox owns the post status', () => {
  it('names the chart resources the drafted sentences took facts from, none once the clinician rewrote them (decision 0204)', async () => {
    const cited = setup('female', undefined, '1967-03-02');
    const v = await drafted(cited);
    await cited.visits.sign(clinician, v.id);
    expect(cited.outbox.notes.get(`note-${v.id}`)?.note.chartSources).toEqual(['Patient/pat-1']);
    const rewritten = setup('female', undefined, '1967-03-02');
    const w = await drafted(rewritten);
    await rewritten.visits.updateSection(w.id, 'hpi', 'Ana is here for her knee.', w.draft!.version);
    await rewritten.visits.sign(clinician, w.id);
    expect(rewritten.outbox.notes.get(`note-${w.id}`)?.note.chartSources).toBeUndefined();
  });

  it('hands the note to the outbox and shows the outbox status, never a stored copy', async () => {
    const s = setup();
    const v = await drafted(s);
    const signed = await s.visits.sign(clinician, v.id);
    expect(signed.status).toBe('signed');
    expect(signed.post?.status).toBe('queued');
    const noteId = `note-${v.id}`;
    expect(s.outbox.notes.get(noteId)?.note.text).toContain('blood pressure is fine');
    expect(s.storage.stored(v.id)?.post).toBeNull(); // the visit's own record keeps no status

    // The outbox posts: its record is the truth; the visit reads it, and the window is told by an event.
    const before = s.events.length;
    await s.visits.noteChanged(s.outbox.move(noteId, { status: 'posted', attempts: 1, serverId: 'dr-1', versionId: '1' }));
    expect((await s.visits.get(v.id)).post).toMatchObject({ status: 'posted', serverId: 'dr-1', versionId: '1' });
    expect(s.events.slice(before)).toEqual([
      { event: 'visit.updated', payload: expect.objectContaining({ id: v.id, post: expect.objectContaining({ status: 'posted' }) }) },
    ]);
    expect(s.lifecycle.filter((e) => e.type === 'note.posted')).toHaveLength(1);
    expect(s.storage.stored(v.id)?.post).toBeNull();
    expect((await s.visits.list())[0]?.post?.status).toBe('posted');
  });

  it('amends only a posted note, and shows the replaced note until the amendment is signed', async () => {
    const s = setup();
    const v = await drafted(s);
    await s.visits.sign(clinician, v.id);
    await expect(s.visits.amend(v.id)).rejects.toMatchObject({ code: 'conflict' });
    await s.visits.noteChanged(s.outbox.move(`note-${v.id}`, { status: 'posted', attempts: 1, serverId: 'dr-1', versionId: '1' }));
    const amending = await s.visits.amend(v.id);
    expect(amending.status).toBe('draft');
    expect(amending.post?.status).toBe('posted');
    const resigned = await s.visits.sign(clinician, v.id);
    expect(resigned.post?.status).toBe('queued');
    expect(s.outbox.notes.has(`note-${v.id}-amend-1`)).toBe(true);
    expect(s.lifecycle.some((e) => e.type === 'note.amended')).toBe(true);
  });

  it('refuses to sign an empty note', async () => {
    const s = setup();
    const v = await drafted(s);
    await s.visits.updateSection(v.id, 'plan', '   ', 1);
    await expect(s.visits.sign(clinician, v.id)).rejects.toMatchObject({ code: 'bad_request' });
    expect(s.outbox.notes.size).toBe(0);
  });
});

describe('retention', () => {
  it('purges a part, and a forgotten visit is never written again', async () => {
    const s = setup();
    const v = await drafted(s);
    await s.visits.sign(clinician, v.id);
    await s.visits.purge(v.id, 'transcript');
    expect((await s.visits.get(v.id)).transcript).toBeNull();
    s.visits.forget(v.id);
    const events = s.events.length;
    await s.visits.noteChanged(s.outbox.move(`note-${v.id}`, { status: 'posted', attempts: 1, serverId: 'dr-1', versionId: '1' }));
    expect(s.events.length).toBe(events);
    await expect(s.visits.purge(v.id, 'draft')).rejects.toMatchObject({ code: 'not_found' });
    s.visits.unforget(v.id);
    await s.visits.purge(v.id, 'draft');
    expect((await s.visits.get(v.id)).draft).toBeNull();
  });
});

/** The visit's day in this computer's time zone, as the drafting room passes it. */
function localDay(iso: string): string {
  const at = new Date(iso);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}
