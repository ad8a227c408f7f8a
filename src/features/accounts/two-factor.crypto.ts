// The second factor's cryptography. The TOTP secret is encrypted with AES-256-GCM under a key derived from the
// instance secret by HKDF (bound to this one purpose), with the account id as associated data, so a ciphertext
// copied to another account's row does not decrypt. Recovery codes are random (50 bits each), so a keyed
// SHA-256 (HMAC under another derived key) is enough to store them: no slow hash is needed against guessing.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';

const SALT = 'candor.accounts.two-factor';

function derivedKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32));
}

export function encryptTotpSecret(secret: string, userId: string, base32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derivedKey(secret, 'totp-secret-encryption:v1'), iv);
  cipher.setAAD(Buffer.from(userId));
  const data = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv, data, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Throws when the value was not encrypted for this account under this instance secret. */
export function decryptTotpSecret(secret: string, userId: string, stored: string): string {
  const [version, iv, data, tag] = stored.split('.');
  if (version !== 'v1' || !iv || !data || !tag) throw new Error('two-factor: unknown secret format');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    derivedKey(secret, 'totp-secret-encryption:v1'),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/** Crockford-like alphabet without 0/O, 1/I/L and U: easy to read off a printout and to type. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Ten codes of ten characters (about 49 bits each), shown as "ABCDE-FGHJK". */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What a person typed, in the stored form: upper case, without spaces and dashes. */
export function normaliseRecoveryCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

export function hashRecoveryCode(secret: string, userId: string, code: string): string {
  return createHmac('sha256', derivedKey(secret, 'recovery-code-hash:v1'))
    .update(`${userId}:${normaliseRecoveryCode(code)}`)
    .digest('hex');
}
