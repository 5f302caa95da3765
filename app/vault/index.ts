// The vault's public face: what other folders may use. The file format lives in file-vault.ts.
export { AUDIO_RECORD, type AudioStatus, type OpenVaultOptions, type RecordStore, type Vault, type VisitVault } from './vault.ts';
export { VaultBusyError, openVault } from './file-vault.ts';
export { VaultIntegrityError } from './frames.ts';
export { writeFileAtomic } from './atomic-file.ts';
export { VaultKeyMissingError } from './keyring.ts';
export { KeychainUnavailableError, type SecretStore } from '../secrets/index.ts';
