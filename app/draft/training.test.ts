import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '../../scripts/train-drafter.ts';
import { REPO, SHARED } from '../../testing/draft/datasets.ts';

describe('npm run train:drafter', () => {
  it('writes byte-identical models twice (small config), and the full run reproduces the committed model', async () => {
    const a = mkdtempSync(join(tmpdir(), 'drafter-a-'));
    const b = mkdtempSync(join(tmpdir(), 'drafter-b-'));
    const full = mkdtempSync(join(tmpdir(), 'drafter-full-'));
    try {
      const ra = await train({ shared: SHARED, out: a, epochs: 2, limit: 5, seed: 20261125 });
      const rb = await train({ shared: SHARED, out: b, epochs: 2, limit: 5, seed: 20261125 });
      expect(ra.modelSha256).toBe(rb.modelSha256);
      expect(readFileSync(join(a, 'section-classifier.onnx')).equals(readFileSync(join(b, 'section-classifier.onnx')))).toBe(true);
      expect(readFileSync(join(a, 'drug-names.txt')).equals(readFileSync(join(b, 'drug-names.txt')))).toBe(true);
      const rf = await train({ shared: SHARED, out: full, epochs: 10, seed: 20261125 });
      expect(
        readFileSync(join(full, 'section-classifier.onnx')).equals(
          readFileSync(join(REPO, 'models', 'drafter', 'section-classifier.onnx')),
        ),
      ).toBe(true);
      expect(
        readFileSync(join(full, 'clinical-terms.txt')).equals(readFileSync(join(REPO, 'models', 'drafter', 'clinical-terms.txt'))),
      ).toBe(true);
      expect(rf.valid.accuracy).toBeGreaterThan(0.7);
    } finally {
      for (const d of [a, b, full]) rmSync(d, { recursive: true, force: true });
    }
  });
});
