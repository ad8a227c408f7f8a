// The way tests reach the composition root and other features: a test of a lower layer that needs the whole
// app (the feature list, the CLI, the worker) or a feature's helper imports it from here, so the layer rules hold
// for tests too (see docs/decisions/0025-layer-rules.md). Only tests may import src/testing.
export { buildApp } from '../app.ts';
export { runCli } from '../cli.ts';
export { allMigrations, createDataMap, createDeps, migrateDatabase } from '../composition.ts';
export { features } from '../features.ts';
export { buildWorker } from '../worker.ts';
export { createStaffUser } from '../features/accounts/index.ts';
export { moveObjectionsToEngine } from '../features/advertising/migrations/002-objections-to-engine.ts';
export { deliverDueMail, enqueueMail } from '../features/mail/index.ts';
export { sendSimilarProductMails } from '../features/advertising/index.ts';
export * as shopSchemas from '../shop/schemas.ts';
