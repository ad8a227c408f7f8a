import { types } from '../../platform/db/dialect.ts';
import type { Migration } from '../../platform/db/migrate.ts';
import { ACCESS_GENESIS_HASH, accessRecordHash, newPathSalt, pathDigest } from '../access-audit.hash.ts';

/**
 * The access audit becomes a hash chain: sequence, previous hash, hash, the path's salt and digest, and a head row.
 * Records written before are chained here in time order, so that none stays outside the proof.
 */
export const chainAccessAudit: Migration = {
  id: 'privacy.004-access-audit-chain',
  async up(db) {
    await db.schema
      .createTable('access_audit_chain')
      .addColumn('id', types.int, (c) => c.primaryKey())
      .addColumn('seq', types.int, (c) => c.notNull())
      .addColumn('last_hash', types.short, (c) => c.notNull())
      .addColumn('last_at', types.time, (c) => c.notNull())
      .execute();
    for (const [name, type] of [
      ['seq', types.int],
      ['prev_hash', types.short],
      ['hash', types.short],
      ['path_salt', types.short],
      ['path_digest', types.short],
    ] as const)
      await db.schema.alterTable('access_audit').addColumn(name, type).execute();
    const rows = (await db.selectFrom('access_audit').selectAll().orderBy('at').orderBy('id').execute()) as Record<
      string,
      unknown
    >[];
    let prev = ACCESS_GENESIS_HASH;
    let lastAt = 0;
    let seq = 0;
    for (const r of rows) {
      seq++;
      const salt = r.path === null ? null : newPathSalt();
      const digest = pathDigest(salt ?? '', r.path as string | null);
      const hash = accessRecordHash({
        prev_hash: prev,
        seq,
        at: Number(r.at),
        actor_user_id: String(r.actor_user_id),
        actor_role: String(r.actor_role),
        what: String(r.what),
        why: String(r.why),
        path_digest: digest,
      });
      await db
        .updateTable('access_audit')
        .set({ seq, prev_hash: prev, hash, path_salt: salt, path_digest: digest })
        .where('id', '=', r.id as string)
        .execute();
      prev = hash;
      lastAt = Number(r.at);
    }
    await db.insertInto('access_audit_chain').values({ id: 1, seq, last_hash: prev, last_at: lastAt }).execute();
    await db.schema.createIndex('access_audit_seq').unique().on('access_audit').column('seq').execute();
  },
};
