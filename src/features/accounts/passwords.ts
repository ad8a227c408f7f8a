// Password rules (NIST SP 800-63B): at least 8 characters, up to 128, no composition rules, not a
// known common or breached password. Hashing is argon2id with OWASP's parameters (19 MiB, t=2, p=1).
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { Text } from '../../platform/i18n.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// algorithm 2 is Argon2id (a const enum in the package's types, which isolated modules cannot import).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

// The bundled list holds about 49,000 passwords seen in breaches; those shorter than the minimum fail anyway.
const common = new Set(
  (dictionary['passwords-common'] as string[]).filter((p) => p.length >= PASSWORD_MIN).map((p) => p.toLowerCase()),
);

export function checkPassword(password: string, context: { email?: string; name?: string } = {}): Text | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN)
    return { en: `Use at least ${PASSWORD_MIN} characters.`, de: `Verwenden Sie mindestens ${PASSWORD_MIN} Zeichen.` };
  if (length > PASSWORD_MAX)
    return { en: `Use at most ${PASSWORD_MAX} characters.`, de: `Verwenden Sie höchstens ${PASSWORD_MAX} Zeichen.` };
  const lower = password.toLowerCase();
  if (
    common.has(lower) ||
    (context.email && lower === context.email.toLowerCase()) ||
    (context.name && lower === context.name.toLowerCase())
  ) {
    return {
      en: 'This password is too common or easy to guess (it appears in lists of breached passwords). Please choose another.',
      de: 'Dieses Passwort ist zu verbreitet oder leicht zu erraten (es steht in Listen geleakter Passwörter). Bitte wählen Sie ein anderes.',
    };
  }
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** True for a stored argon2 hash; false for the marker of an account whose password is not set yet. */
export function isPasswordHash(stored: string): boolean {
  return stored.startsWith('$argon2');
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when no account exists keeps login time the same for known and unknown emails. */
export const decoyHash = hash('decoy password that matches nothing', options);
