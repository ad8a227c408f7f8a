// What the platform's own services need from the application: a database handle, a clock and a log. Each
// service takes the part it uses (Pick<PlatformContext, ...>), never the application's whole context.
import type { Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import type { DbKind } from './db/dialect.ts';
import type { Logger } from './log.ts';

export interface PlatformContext<Tables> {
  db: Kysely<Tables>;
  dbKind: DbKind;
  clock: Clock;
  log: Logger;
}
