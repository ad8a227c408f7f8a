// Substring search for the staff lists, one way on both dialects: the term's own % _ and \ match only themselves
// (`escape '\'` is spelled out: PostgreSQL has it by default, SQLite has none), and "ignoring case" folds by
// Unicode rules on both (see unicodeLower in dialect.ts), so "öz" finds "Öztürk" on SQLite as on PostgreSQL.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { unicodeLower } from './dialect.ts';

/** `%term%` for LIKE, with the term's own wildcards and escape sign taken literally. */
export const containsPattern = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `expr` contains `term` exactly as written (for values stored normalised, such as emails or serials). */
export function contains(expr: Expression<string | null>, term: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${expr} like ${containsPattern(term)} escape '\\'`;
}

/** `expr` contains `term`, both lower-cased by Unicode rules. */
export function containsIgnoringCase(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
  db: Kysely<any>,
  expr: Expression<string | null>,
  term: string,
): RawBuilder<SqlBool> {
  return contains(unicodeLower(db, expr), term.toLowerCase());
}
