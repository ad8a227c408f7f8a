// Statements built once per shape (decision 0062). Kysely builds and compiles a statement every time it runs; for
// the small statements of the busiest pages (the catalogue listing, the home page) that cost more than running them
// (a third of the uncached listing's time). A hot query names its shape — everything that changes its SQL text,
// such as the language or which filters are set — and passes its parameters in the order the built statement holds
// them. The first run of a shape builds the statement and checks that order; later runs reuse its SQL text (and
// with it the driver's prepared statement on SQLite, and a named prepared statement on PostgreSQL: dialect.ts).
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { MAX_CACHED_SQL_LENGTH } from './dialect.ts';
import { nameStatement } from './statement-names.ts';

/** At most this many shapes per database are kept (the hot queries have a few dozen). */
const MAX_SHAPES = 1000;

const textsByDb = new WeakMap<object, Map<string, string>>();
let verifyEveryRun = false;

/**
 * Tests build every statement again and compare its text and parameters with the kept ones, so that a shape name
 * that leaves out something that changes the SQL, or parameters given in another order, fail the test that runs it.
 */
export function verifyPreparedStatements(on: boolean): void {
  verifyEveryRun = on;
}

export class PreparedStatementMismatch extends Error {
  constructor(shape: string, what: string) {
    super(`prepared statement "${shape}": ${what}`);
    this.name = 'PreparedStatementMismatch';
  }
}

function sameParameters(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * Runs the statement `build` makes, with `parameters`, building it only for the first run of `shape` on `db`.
 * `parameters` must be exactly the built statement's parameters, in its order.
 */
export async function runPrepared<DB, R>(
  db: Kysely<DB>,
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable<R>,
): Promise<R[]> {
  let texts = textsByDb.get(db);
  if (!texts) textsByDb.set(db, (texts = new Map()));
  let text = texts.get(shape);
  if (text === undefined || verifyEveryRun) {
    const compiled = build().compile();
    if (!sameParameters(compiled.parameters, parameters))
      throw new PreparedStatementMismatch(shape, 'the parameters given are not those of the built statement');
    if (text !== undefined && text !== compiled.sql)
      throw new PreparedStatementMismatch(shape, 'its shape name leaves out something that changes its SQL');
    // A hot statement too long for SQLite's statement cache would be prepared again on every run.
    if (verifyEveryRun && compiled.sql.length > MAX_CACHED_SQL_LENGTH)
      throw new PreparedStatementMismatch(shape, `its SQL is longer than ${MAX_CACHED_SQL_LENGTH} characters`);
    text = compiled.sql;
    if (texts.size < MAX_SHAPES) texts.set(shape, text);
    nameStatement(text);
  }
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
  return result.rows;
}
