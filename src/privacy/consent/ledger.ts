// The consent ledger: every choice is one append-only record, chained to the one before by SHA-256, so that
// editing, removing or reordering a record is detectable (`candor audit`). The account link (user_id) is
// outside the hash: linking at sign-in and unlinking at erasure change no proof.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import * as q from './consent.queries.ts';
import type { ConsentAction, ConsentRecordsTable } from './consent.tables.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ConsentChoices {
  categories: string[];
  vendors: string[];
}

export interface NewConsentRecord {
  consentId: string;
  /** Read once the chain head is held, so that sequence order and time order agree (retention deletes by time). */
  now: () => number;
  policyHash: string;
  locale: string;
  bannerHash: string;
  choices: ConsentChoices;
  action: ConsentAction;
  ipAnon: string | null;
  browser: string | null;
  userId: string | null;
}

type Hashed = Omit<ConsentRecordsTable, 'user_id' | 'hash'>;

/** The exact bytes a record's hash covers: every field but the hash itself and the account link. */
function hashOf(r: Hashed): string {
  const content = JSON.stringify([
    r.id,
    r.seq,
    r.consent_id,
    Number(r.recorded_at),
    r.policy_hash,
    r.locale,
    r.banner_hash,
    r.choices,
    r.action,
    r.ip_anon,
    r.browser,
    r.prev_hash,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

/** Appends one record; the chain head's row lock makes concurrent writers take turns. */
export async function recordConsent(db: Kysely<Database>, input: NewConsentRecord): Promise<ConsentRecordsTable> {
  return db.transaction().execute(async (trx) => {
    const head = await q.advanceChainHead(trx);
    const base: Hashed = {
      id: randomUUID(),
      seq: head.seq + 1,
      consent_id: input.consentId,
      recorded_at: Math.max(input.now(), head.lastAt),
      policy_hash: input.policyHash,
      locale: input.locale,
      banner_hash: input.bannerHash,
      choices: JSON.stringify({
        categories: [...input.choices.categories].sort(),
        vendors: [...input.choices.vendors].sort(),
      }),
      action: input.action,
      ip_anon: input.ipAnon,
      browser: input.browser,
      prev_hash: head.last_hash,
    };
    const row: ConsentRecordsTable = { ...base, user_id: input.userId, hash: hashOf(base) };
    await q.insertConsentRecord(trx, row);
    await q.setChainHead(trx, row.hash, Number(base.recorded_at));
    return row;
  });
}

export interface ChainReport {
  ok: boolean;
  records: number;
  /** The first sequence number still held (older ones went by retention), or null when none are held. */
  firstSeq: number | null;
  problems: string[];
}

/**
 * Walks the chain in order, up to the head as it was when the audit began (receipts added meanwhile are
 * not judged), and reports every break in words an auditor can act on.
 */
export async function verifyConsentChain(db: Kysely<Database>): Promise<ChainReport> {
  const problems: string[] = [];
  const head = await q.findChainHead(db);
  if (!head) return { ok: false, records: 0, firstSeq: null, problems: ['the chain head row is missing.'] };
  let records = 0;
  let firstSeq: number | null = null;
  let previous: ConsentRecordsTable | undefined;
  for (;;) {
    const page = await q.listConsentRecordsFrom(db, previous ? Number(previous.seq) : 0, head.seq, 1000);
    for (const r of page) {
      const seq = Number(r.seq);
      records++;
      if (firstSeq === null) {
        firstSeq = seq;
        if (seq === 1 && r.prev_hash !== GENESIS_HASH)
          problems.push(`record #1 (${r.id}) does not start the chain: its previous hash is not the genesis hash.`);
      } else if (previous) {
        if (seq !== Number(previous.seq) + 1)
          problems.push(
            `records #${Number(previous.seq) + 1} to #${seq - 1} are missing: the chain jumps from #${Number(previous.seq)} to #${seq}.`,
          );
        if (r.prev_hash !== previous.hash)
          problems.push(
            `record #${seq} (${r.id}) does not follow record #${Number(previous.seq)}: its previous hash differs from that record's hash.`,
          );
      }
      const { user_id: _link, hash, ...hashed } = r;
      if (hashOf({ ...hashed, recorded_at: Number(hashed.recorded_at), seq }) !== hash) {
        problems.push(`record #${seq} (${r.id}) was altered: its content no longer matches its hash.`);
      }
      previous = r;
    }
    if (page.length < 1000) break;
  }
  if (previous && (head.seq !== Number(previous.seq) || head.last_hash !== previous.hash)) {
    problems.push(
      `the newest records are missing: the chain head says #${head.seq}, the newest record held is #${Number(previous.seq)}.`,
    );
  } else if (!previous && head.seq > 0 && head.last_hash === GENESIS_HASH) {
    problems.push('the chain head was reset.');
  }
  return { ok: problems.length === 0, records, firstSeq, problems };
}
