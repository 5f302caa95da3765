import { assetStatus } from '../../assets/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

/** Asset packs (app/assets): what is installed on this workstation, for the settings screen. */
export function assetsHandlers(_s: CoreServices): PartialHandlers<'assets.list'> {
  return {
    // The install folder is left out: a path on the workstation is no business of the UI.
    'assets.list': () =>
      assetStatus().map(({ dir: _dir, ...status }) => ({ ...status, installCommand: `scribe assets install ${status.name}` })),
  };
}
