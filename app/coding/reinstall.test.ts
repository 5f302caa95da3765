import { utimesSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { INSTALL_RECORD } from '../assets/index.ts';
import { loadTerminology } from './index.ts';
import { testTerminologyAssets } from '../../testing/coding/terminology.ts';

it('opens the terminology once per install and again after a reinstall', async () => {
  const { terminologyDir, assetsDir } = await testTerminologyAssets();
  const first = loadTerminology(terminologyDir);
  expect(loadTerminology(undefined, { dir: assetsDir })).toBe(first);
  const later = new Date(Date.now() + 60_000);
  utimesSync(path.join(terminologyDir, INSTALL_RECORD), later, later);
  const second = loadTerminology(terminologyDir);
  expect(second).not.toBe(first);
  expect(second.searchCodes('htn', { limit: 1 })[0]!.code).toBe('I10');
  expect(first.searchCodes('htn', { limit: 1 })[0]!.code).toBe('I10');
}, 300_000);
