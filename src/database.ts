// The typed schema of all features' tables, for Kysely. Each feature owns and declares its part.
import type { AccountsTables } from './features/accounts/accounts.tables.ts';
import type { BasketTables } from './features/basket/basket.tables.ts';
import type { CatalogTables } from './features/catalog/catalog.tables.ts';
import type { MailTables } from './features/mail/mail.tables.ts';
import type { JobTables } from './platform/jobs/jobs.tables.ts';

export interface Database extends AccountsTables, MailTables, CatalogTables, BasketTables, JobTables {}
