import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../contract/index.ts';
import { transcriptionHandlers } from './transcription.ts';
import type { CoreServices } from '../services.ts';

let dir: string;
const saved = process.env.SCRIBE_ASSETS_DIR;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-engines-'));
  process.env.SCRIBE_ASSETS_DIR = dir;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.SCRIBE_ASSETS_DIR;
  else process.env.SCRIBE_ASSETS_DIR = saved;
  await rm(dir, { recursive: true, force: true });
});

describe('transcription.engines', () => {
  it('lists sphinx as usable and the sherpa models with their install commands, matching the contract', async () => {
    const out = await transcriptionHandlers({} as CoreServices)['transcription.engines']({}, {} as never);
    const parsed = contract['transcription.engines'].output.parse(out);
    expect(parsed.engines).toContainEqual(expect.objectContaining({ name: 'sphinx', installed: true }));
    expect(parsed.engines).toContainEqual(expect.objectContaining({ name: 'sherpa', installed: false }));
    expect(parsed.engines).toContainEqual(expect.objectContaining({ name: 'server', installed: true }));
    expect(parsed.models).toContainEqual({
      name: 'sherpa-whisper-base-en',
      role: 'offline',
      installed: false,
      installCommand: 'scribe assets install sherpa-whisper-base-en',
    });
  });
});
