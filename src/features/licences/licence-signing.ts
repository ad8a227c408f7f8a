// The Ed25519 key that signs offline activation files. Generated once into the data directory (or read from
// LICENCE_SIGNING_KEY_FILE, which every process of one shop must share); products embed the public key.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LicenceSigner {
  publicKeyPem: string;
  sign(payload: string): string;
}

const cache = new Map<string, LicenceSigner>();

export function licenceSigner(file: string): LicenceSigner {
  const cached = cache.get(file);
  if (cached) return cached;
  let privateKey: KeyObject;
  if (existsSync(file)) {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
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
