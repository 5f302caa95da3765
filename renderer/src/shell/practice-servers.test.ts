import { describe, expect, it } from 'vitest';
import { practiceServers, processingLine, type Processing } from './practice-servers.ts';

// What the patient is told, and what the screen says while processing, follow where the core says each step runs
// (settings.get processing; decision 0205). The core works it out; these only put it in words.

const here = { on: 'computer' as const, host: null };
const server = (host: string | null) => ({ on: 'server' as const, host });
const local: Processing = { recognition: here, drafting: here };

describe('practiceServers (the consent script)', () => {
  it('is empty when recognition and drafting run on this computer, and unknown without settings', () => {
    expect(practiceServers(local)).toEqual([]);
    expect(practiceServers(null)).toBeNull();
  });

  it('names the practice server that transcribes or drafts, once', () => {
    expect(practiceServers({ ...local, drafting: server('gpu.clinic.example:8443') })).toEqual(['gpu.clinic.example:8443']);
    expect(practiceServers({ recognition: server('gpu.clinic.example:8443'), drafting: server('gpu.clinic.example:8443') })).toEqual([
      'gpu.clinic.example:8443',
    ]);
    expect(practiceServers({ recognition: server('10.0.0.5:9000'), drafting: server(null) })).toEqual([
      '10.0.0.5:9000',
      'the practice server',
    ]);
  });
});

describe('processingLine (the screen while a visit is processed)', () => {
  it('says which step runs where', () => {
    expect(processingLine(local)).toBe('Transcribing and drafting on this computer…');
    expect(processingLine({ ...local, drafting: server('llm.clinic.local:8443') })).toBe(
      'Transcribing on this computer, drafting on our own server (llm.clinic.local:8443)…',
    );
    expect(processingLine({ ...local, recognition: server('asr.clinic.local') })).toBe(
      'Transcribing on our own server (asr.clinic.local), drafting on this computer…',
    );
    expect(processingLine({ recognition: server('gpu.clinic.local'), drafting: server('gpu.clinic.local') })).toBe(
      'Transcribing and drafting on our own server (gpu.clinic.local)…',
    );
    expect(processingLine({ recognition: server('asr.clinic.local'), drafting: server('llm.clinic.local') })).toBe(
      'Transcribing on our own server (asr.clinic.local), drafting on our own server (llm.clinic.local)…',
    );
    expect(processingLine({ ...local, drafting: server(null) })).toBe('Transcribing on this computer, drafting on our own server…');
  });

  it('names no place while the settings are unknown (never "this computer" by default)', () => {
    expect(processingLine(null)).toBe('Transcribing and drafting…');
  });
});
