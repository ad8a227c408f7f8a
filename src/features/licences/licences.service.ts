// Licences for purchased software, activations per machine (a fingerprint hash only), self-service
// deactivation, and Ed25519-signed offline activation files the product can verify with our public key.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle } from '../catalog/index.ts';
import { licenceSigner } from './licence-signing.ts';
import * as q from './licences.queries.ts';
import type { ActivationsTable, LicencesTable } from './licences.tables.ts';

/** For a product without its own setting (activations per key, set in the product console). */
const MAX_ACTIVATIONS = 2;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I

function newLicenceKey(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return chars.match(/.{5}/g)!.join('-');
}

/** What the licence use cases draw on: the database, the clock, and the data directory (the signing key). */
type LicencesDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

const signingKeyFile = (deps: Pick<Deps, 'config'>) =>
  process.env.LICENCE_SIGNING_KEY_FILE?.trim() || join(deps.config.dataDir, 'licence-signing-key.pem');

export function signerFor(deps: Pick<Deps, 'config'>) {
  return licenceSigner(signingKeyFile(deps));
}

/**
 * The public half of the signing key once there is one (it is made when the first licence is issued), for the
 * check that every process signs with the same key (cli.ts); undefined before. Never makes the key.
 */
export function licenceSigningPublicKey(deps: Pick<Deps, 'config'>): string | undefined {
  return existsSync(signingKeyFile(deps)) ? signerFor(deps).publicKeyPem : undefined;
}

interface LicensableLine {
  productId: string;
  kind: string;
  quantity: number;
  contents?: { productId: string; kind: string }[];
}

/** Called in the transaction that confirms an order: one licence per unit of software, bundled software included. */
export async function issueLicences(
  db: Deps['db'],
  now: number,
  order: { id: string; userId: string; lines: LicensableLine[] },
): Promise<void> {
  if ((await q.listLicencesOfOrder(db, order.id)).length > 0) return;
  // Each key allows the activations its product allows when the key is issued; a later change keeps issued keys.
  const ids = order.lines.flatMap((l) => [l.productId, ...(l.contents ?? []).map((c) => c.productId)]);
  const allowed = new Map((await findProductsByIds(db, [...new Set(ids)])).map((p) => [p.id, p.max_activations]));
  for (const line of order.lines) {
    const software =
      line.kind === 'software'
        ? [line.productId]
        : (line.contents ?? []).filter((c) => c.kind === 'software').map((c) => c.productId);
    for (let i = 0; i < line.quantity; i++) {
      for (const productId of software) {
        await q.insertLicence(db, {
          id: randomUUID(),
          licence_key: newLicenceKey(),
          user_id: order.userId,
          order_id: order.id,
          product_id: productId,
          max_activations: allowed.get(productId) ?? MAX_ACTIVATIONS,
          created_at: now,
          revoked_at: null,
        });
      }
    }
  }
}

/**
 * Called in the transaction that records a withdrawal: the licences issued for the withdrawn lines (one per unit of
 * software, bundled software included, as issueLicences gave them) are revoked and their machines deactivated, so
 * the keys no longer activate. The other lines of the order keep theirs.
 */
export async function revokeWithdrawnLines(
  db: Deps['db'],
  now: number,
  orderId: string,
  lines: LicensableLine[],
): Promise<void> {
  const count = new Map<string, number>();
  for (const line of lines) {
    const software =
      line.kind === 'software'
        ? [line.productId]
        : (line.contents ?? []).filter((c) => c.kind === 'software').map((c) => c.productId);
    for (const productId of software) count.set(productId, (count.get(productId) ?? 0) + line.quantity);
  }
  for (const [productId, n] of count) await q.revokeLicences(db, orderId, productId, n, now);
}

const withdrawnLicence = () =>
  new AppError(410, 'licence_withdrawn', {
    en: 'This licence was withdrawn from together with its order and no longer activates.',
    de: 'Diese Lizenz wurde mit ihrer Bestellung widerrufen und lässt sich nicht mehr aktivieren.',
  });

const unknownLicence = () =>
  new AppError(404, 'licence_not_found', {
    en: 'This licence key is not valid.',
    de: 'Dieser Lizenzschlüssel ist ungültig.',
  });
const limitReached = (max: number) =>
  new AppError(409, 'activation_limit', {
    en: `This licence is already active on ${max} machines. Deactivate one in your account first.`,
    de: `Diese Lizenz ist bereits auf ${max} Rechnern aktiv. Deaktivieren Sie zuerst einen in Ihrem Konto.`,
  });

export interface ActivationResult {
  activation: ActivationsTable;
  licence: LicencesTable;
  offlineFile: { payload: string; signature: string };
}

function offlineFile(deps: Pick<Deps, 'config'>, licence: LicencesTable, activation: ActivationsTable) {
  const payload = JSON.stringify({
    licenceKey: licence.licence_key,
    productId: licence.product_id,
    machine: activation.machine_hash,
    activationId: activation.id,
    issuedAt: new Date(activation.activated_at).toISOString(),
  });
  return { payload, signature: signerFor(deps).sign(payload) };
}

export const MACHINE_NAME_MAX = 40;
// Letters and digits of any script, spaces and a few marks people use in names ("Studio iMac", "Anna's MacBook (2)").
const MACHINE_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} .,'’()#&+_-]*$/u;

const invalidMachineName = () =>
  errors.invalid(
    {
      en: `A machine name has 1 to ${MACHINE_NAME_MAX} characters: letters, digits, spaces and . , ' ( ) # & + _ -`,
      de: `Ein Rechnername hat 1 bis ${MACHINE_NAME_MAX} Zeichen: Buchstaben, Ziffern, Leerzeichen und . , ' ( ) # & + _ -`,
    },
    {
      machineName: {
        en: `1 to ${MACHINE_NAME_MAX} characters: letters, digits, spaces and . , ' ( ) # & + _ -`,
        de: `1 bis ${MACHINE_NAME_MAX} Zeichen: Buchstaben, Ziffern, Leerzeichen und . , ' ( ) # & + _ -`,
      },
    },
  );

/** A machine name as stored: NFKC, trimmed, inner runs of spaces made one; refuses anything else with a 400. */
export function normaliseMachineName(raw: string): string {
  const name = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (name.length === 0 || [...name].length > MACHINE_NAME_MAX || !MACHINE_NAME.test(name)) throw invalidMachineName();
  return name;
}

/**
 * Activates a licence on a machine; the same machine again gets its existing activation (with the name it sends
 * now, if it sends one). The name is the customer's choice, shown in "My products"; the hash identifies the machine.
 */
export async function activate(
  deps: LicencesDeps,
  key: string,
  machineHash: string,
  machineName?: string,
): Promise<ActivationResult> {
  const name = machineName === undefined ? null : normaliseMachineName(machineName);
  const licence = await q.findLicenceByKey(deps.db, key.toUpperCase());
  if (!licence) throw unknownLicence();
  if (licence.revoked_at !== null) throw withdrawnLicence();
  const active = await q.listActiveActivations(deps.db, [licence.id]);
  const same = active.find((a) => a.machine_hash === machineHash);
  if (same) {
    if (name !== null && name !== same.machine_name) {
      await q.renameActivation(deps.db, licence.id, same.id, name);
      same.machine_name = name;
    }
    return { activation: same, licence, offlineFile: offlineFile(deps, licence, same) };
  }
  if (active.length >= licence.max_activations) throw limitReached(licence.max_activations);
  const activation: ActivationsTable = {
    id: randomUUID(),
    licence_id: licence.id,
    user_id: licence.user_id,
    machine_hash: machineHash,
    machine_name: name,
    activated_at: deps.clock.now(),
    deactivated_at: null,
  };
  await q.insertActivation(deps.db, activation);
  // Two activations at the same moment could both pass the count above: the later one backs out. So does one that
  // met the withdrawal of its licence.
  const after = await q.listActiveActivations(deps.db, [licence.id]);
  if (after.length > licence.max_activations && after.at(-1)?.id === activation.id) {
    await q.deactivate(deps.db, licence.id, activation.id, deps.clock.now());
    throw limitReached(licence.max_activations);
  }
  const current = await q.findLicenceByKey(deps.db, licence.licence_key);
  if (current && current.revoked_at !== null) {
    await q.deactivate(deps.db, licence.id, activation.id, deps.clock.now());
    throw withdrawnLicence();
  }
  return { activation, licence, offlineFile: offlineFile(deps, licence, activation) };
}

/** By the licence key (the product) or by the signed-in owner (the account page). */
export async function deactivateActivation(
  deps: Pick<Deps, 'db' | 'clock'>,
  key: string,
  activationId: string,
  ownerId?: string,
): Promise<void> {
  const licence = await q.findLicenceByKey(deps.db, key.toUpperCase());
  if (!licence || (ownerId !== undefined && licence.user_id !== ownerId)) throw unknownLicence();
  if (!(await q.deactivate(deps.db, licence.id, activationId, deps.clock.now()))) throw errors.notFound();
}

/** The signed-in owner names one of their active machines ("Studio iMac"). */
export async function renameMachine(
  deps: Pick<Deps, 'db'>,
  key: string,
  activationId: string,
  ownerId: string,
  rawName: string,
): Promise<void> {
  const name = normaliseMachineName(rawName);
  const licence = await q.findLicenceByKey(deps.db, key.toUpperCase());
  if (!licence || licence.user_id !== ownerId) throw unknownLicence();
  if (!(await q.renameActivation(deps.db, licence.id, activationId, name))) throw errors.notFound();
}

export async function licencesOf(deps: Pick<Deps, 'db'>, userId: string) {
  const licences = await q.listLicencesOfUser(deps.db, userId);
  const activations = await q.listActiveActivations(
    deps.db,
    licences.map((l) => l.id),
  );
  return licences.map((l) => ({ licence: l, activations: activations.filter((a) => a.licence_id === l.id) }));
}

/** The customer's licences with their activations and product titles, as "My products" lists them. */
export async function licenceRows(
  deps: Pick<Deps, 'db'>,
  userId: string,
  lang: Lang,
): Promise<{ licence: LicencesTable; activations: ActivationsTable[]; title: string }[]> {
  const rows = await licencesOf(deps, userId);
  const ids = [...new Set(rows.map((r) => r.licence.product_id))];
  const products = new Map((await findProductsByIds(deps.db, ids)).map((p) => [p.id, p]));
  return rows.map((r) => {
    const product = products.get(r.licence.product_id);
    return { ...r, title: product ? productTitle(product, lang) : r.licence.product_id };
  });
}
