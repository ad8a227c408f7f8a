// The Ed25519 key that signs offline activation files. Generated once into the data directory (or read from
// LICENCE_SIGNING_KEY_FILE, which every process of one shop must share); products embed the public key.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readOrCreateKeyFile } from '../../platform/key-file.ts';

export interface LicenceSigner {
  publicKeyPem: string;
  sign(payload: string): string;
}

const cache = new Map<string, LicenceSigner>();

export function licenceSigner(file: string): LicenceSigner {
  const cached = cache.get(file);
  if (cached) return cached;
  const privateKey: KeyObject = createPrivateKey(
    readOrCreateKeyFile(file, () =>
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ),
  );
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const signer: LicenceSigner = {
    publicKeyPem,
    sign: (payload) => sign(null, Buffer.from(payload), privateKey).toString('base64'),
  };
  cache.set(file, signer);
  return signer;
}

/** What a product does with the public key it ships with. */
export function verifyActivationFile(publicKeyPem: string, file: { payload: string; signature: string }): boolean {
  return verify(null, Buffer.from(file.payload), createPublicKey(publicKeyPem), Buffer.from(file.signature, 'base64'));
}
