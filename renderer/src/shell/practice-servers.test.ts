import { describe, expect, it } from 'vitest';
import type { CallOutput } from '../../../app/contract/index.ts';
import { practiceServers } from './practice-servers.ts';

// What the patient is told about where the recording and the text go follows the workstation's engines.

type View = CallOutput<'settings.get'>;
const local: View = {
  recognition: { engine: 'sphinx', model: null },
  ehr: { mode: 'sandbox', baseUrl: null, clientId: null },
  drafting: { engine: 'builtin', model: null, server: null },
  ehrInUse: { mode: 'sandbox', baseUrl: 'http://127.0.0.1:1/fhir/R4' },
  engineOverride: null,
  problem: null,
};

describe('practiceServers', () => {
  it('is empty when recognition and drafting run on this computer, and unknown without settings', () => {
    expect(practiceServers(local)).toEqual([]);
    expect(practiceServers({ ...local, drafting: { engine: 'llm', model: 'llm-qwen3-8b-q4km', server: null } })).toEqual([]);
    expect(practiceServers(null)).toBeNull();
  });

  it('names the practice server that transcribes or drafts, once', () => {
    const server = { baseUrl: 'https://gpu.clinic.example:8443/v1', model: 'qwen3' };
    expect(practiceServers({ ...local, drafting: { engine: 'server', model: null, server } })).toEqual(['gpu.clinic.example:8443']);
    expect(
      practiceServers({
        ...local,
        recognition: { engine: 'server', model: null, server: { baseUrl: 'https://gpu.clinic.example:8443/v1', model: 'whisper' } },
        drafting: { engine: 'server', model: null, server },
      }),
    ).toEqual(['gpu.clinic.example:8443']);
  });

  it('counts a command-line engine override, which the saved setting does not show', () => {
    const recognition = { engine: 'sphinx' as const, model: null, server: { baseUrl: 'http://10.0.0.5:9000', model: 'whisper' } };
    expect(practiceServers({ ...local, recognition, engineOverride: 'server' })).toEqual(['10.0.0.5:9000']);
    expect(practiceServers({ ...local, recognition: { ...recognition, engine: 'server' }, engineOverride: 'sphinx' })).toEqual([]);
  });
});
