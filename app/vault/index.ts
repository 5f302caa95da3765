// The vault's public face: what other folders may use. The file format lives in file-vault.ts.
export { AUDIO_RECORD, type RecordStore, type Vault } from './vault.ts';
export { openVault } from './file-vault.ts';
export { VaultIntegrityError } from './frames.ts';
export { writeFileAtomic } from './atomic-file.ts';
export { VaultKeyMissingError } from './keyring.ts';
