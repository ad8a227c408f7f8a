// Licences for purchased software, activations per machine (a fingerprint hash only), self-service
// deactivation, and Ed25519-signed offline activation files the product can verify with our public key.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle } from '../catalog/index.ts';
import { licenceSigner } from './licence-signing.ts';
import * as q from './licences.queries.ts';
import type { ActivationsTable, LicencesTable } from './licences.tables.ts';

const MAX_ACTIVATIONS = 2;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I

function newLicenceKey(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return chars.match(/.{5}/g)!.join('-');
}

/** What the licence use cases draw on: the database, the clock, and the data directory (the signing key). */
type LicencesDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export function signerFor(deps: Pick<Deps, 'config'>) {
  return licenceSigner(
    process.env.LICENCE_SIGNING_KEY_FILE?.trim() || join(deps.config.dataDir, 'licence-signing-key.pem'),
  );
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
          max_activations: MAX_ACTIVATIONS,
          created_at: now,
        });
      }
    }
  }
}

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

/** Activates a licence on a machine; the same machine again gets its existing activation. */
export async function activate(deps: LicencesDeps, key: string, machineHash: string): Promise<ActivationResult> {
  const licence = await q.findLicenceByKey(deps.db, key.toUpperCase());
  if (!licence) throw unknownLicence();
  const active = await q.listActiveActivations(deps.db, [licence.id]);
  const same = active.find((a) => a.machine_hash === machineHash);
  if (same) return { activation: same, licence, offlineFile: offlineFile(deps, licence, same) };
  if (active.length >= licence.max_activations) throw limitReached(licence.max_activations);
  const activation: ActivationsTable = {
    id: randomUUID(),
    licence_id: licence.id,
    user_id: licence.user_id,
    machine_hash: machineHash,
    activated_at: deps.clock.now(),
    deactivated_at: null,
  };
  await q.insertActivation(deps.db, activation);
  // Two activations at the same moment could both pass the count above: the later one backs out.
  const after = await q.listActiveActivations(deps.db, [licence.id]);
  if (after.length > licence.max_activations && after.at(-1)?.id === activation.id) {
    await q.deactivate(deps.db, licence.id, activation.id, deps.clock.now());
    throw limitReached(licence.max_activations);
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
