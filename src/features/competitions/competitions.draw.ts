// The draw, as pure functions anyone can re-run from a draw record: each confirmed entry is known by
// SHA-256("<entry id>:<address>") (hex); the hashes are sorted; a generator keyed by the 32-byte seed
// (HMAC-SHA256 in counter mode) picks the winners by a partial Fisher-Yates shuffle with rejection sampling, so
// every entry has the same chance and the same record always gives the same winners (decision 0054).
import { createHash, createHmac } from 'node:crypto';

export const DRAW_ALGORITHM = 'candor-draw-v1: sha256 entries, hmac-sha256-ctr, rejection sampling, fisher-yates';

/** The hash that stands for an entry in the draw record: nothing but the entry's random id and address go in. */
export function entryHash(entryId: string, email: string): string {
  return createHash('sha256').update(`${entryId}:${email}`).digest('hex');
}

/** A deterministic stream of 64-bit numbers: block i is HMAC-SHA256(seed, "candor-draw-v1" ‖ i as 8 bytes). */
export function seededGenerator(seedHex: string): { next64(): bigint; below(n: number): number } {
  const key = Buffer.from(seedHex, 'hex');
  if (key.length !== 32) throw new Error('a draw seed is 32 bytes');
  let counter = 0n;
  let block = Buffer.alloc(0);
  let offset = 0;
  const next64 = (): bigint => {
    if (offset + 8 > block.length) {
      const index = Buffer.alloc(8);
      index.writeBigUInt64BE(counter++);
      block = createHmac('sha256', key).update('candor-draw-v1').update(index).digest();
      offset = 0;
    }
    const value = block.readBigUInt64BE(offset);
    offset += 8;
    return value;
  };
  const RANGE = 1n << 64n;
  return {
    next64,
    /** A uniform integer in [0, n): values from the incomplete last run of 2^64 mod n are drawn again. */
    below(n: number): number {
      if (!Number.isSafeInteger(n) || n < 1) throw new Error('below() needs a positive whole number');
      const m = BigInt(n);
      const limit = RANGE - (RANGE % m);
      for (;;) {
        const value = next64();
        if (value < limit) return Number(value % m);
      }
    },
  };
}

export interface DrawResult {
  /** 0-based places in the sorted hash list, in the order drawn. */
  positions: number[];
  hashes: string[];
}

/** Picks min(wanted, entries) winners from the sorted hashes with the seeded generator. */
export function drawWinners(seedHex: string, sortedHashes: readonly string[], wanted: number): DrawResult {
  const rng = seededGenerator(seedHex);
  const order = sortedHashes.map((_, i) => i);
  const k = Math.min(wanted, order.length);
  for (let i = 0; i < k; i++) {
    const j = i + rng.below(order.length - i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const positions = order.slice(0, k);
  return { positions, hashes: positions.map((p) => sortedHashes[p] as string) };
}

export interface DrawRecord {
  seed: string;
  entryHashes: string[];
  winnersWanted: number;
  winnerHashes: string[];
  algorithm: string;
}

export interface DrawVerification {
  ok: boolean;
  problems: string[];
  recomputed: DrawResult;
}

/** Re-runs a draw from its record alone and compares the winners with the recorded ones. */
export function verifyDraw(record: DrawRecord): DrawVerification {
  const problems: string[] = [];
  if (record.algorithm !== DRAW_ALGORITHM) problems.push(`unknown algorithm "${record.algorithm}"`);
  if (!/^[0-9a-f]{64}$/.test(record.seed)) problems.push('the seed is not 32 bytes of hex');
  const sorted = [...record.entryHashes].sort();
  if (sorted.some((h, i) => h !== record.entryHashes[i])) problems.push('the entry hashes are not in ascending order');
  if (new Set(sorted).size !== sorted.length) problems.push('an entry hash appears twice');
  if (problems.length > 0) return { ok: false, problems, recomputed: { positions: [], hashes: [] } };
  const recomputed = drawWinners(record.seed, record.entryHashes, record.winnersWanted);
  const same =
    recomputed.hashes.length === record.winnerHashes.length &&
    recomputed.hashes.every((h, i) => h === record.winnerHashes[i]);
  if (!same) problems.push('the recomputed winners differ from the recorded winners');
  return { ok: problems.length === 0, problems, recomputed };
}
