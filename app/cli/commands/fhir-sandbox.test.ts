import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('scribe fhir-sandbox', () => {
  it('prints the base URL, serves the seeded EHR, and stops cleanly on SIGTERM', async () => {
    // SCRIBE_REEXEC=1: run in this process (app/fhir installs the WebSocket global itself), so the
    // signal reaches the server rather than a re-exec wrapper.
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'scribe.mjs'), 'fhir-sandbox', '--seed', '--require-auth'], {
      cwd: repoRoot,
      env: { ...process.env, SCRIBE_REEXEC: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const firstLine = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error(`exited before printing: ${stderr}`)));
    });
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/R4$/);
    const unauthenticated = await fetch(`${firstLine}/Patient`);
    expect(unauthenticated.status).toBe(401);
    const config = (await (await fetch(`${firstLine}/.well-known/smart-configuration`)).json()) as {
      code_challenge_methods_supported: string[];
    };
    expect(config.code_challenge_methods_supported).toEqual(['S256']);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad port with usage', async () => {
    const run = (await import('./fhir-sandbox.ts')).default;
    expect(await run(['--port', 'eighty'])).toBe(2);
  });
});
