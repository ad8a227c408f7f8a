// The table of contents: every feature, in the order its migrations run and its routes register.
import { analyticsFeature } from './features/analytics/index.ts';
import { accountsFeature } from './features/accounts/index.ts';
import { advertisingFeature } from './features/advertising/index.ts';
import { basketFeature } from './features/basket/index.ts';
import { campaignsFeature } from './features/campaigns/index.ts';
import { competitionsFeature } from './features/competitions/index.ts';
import { catalogFeature } from './features/catalog/index.ts';
import { consoleFeature } from './features/console/index.ts';
import { creditFeature } from './features/credit/index.ts';
import { customersFeature } from './features/customers/index.ts';
import { downloadsFeature } from './features/downloads/index.ts';
import { invoicesFeature } from './features/invoices/index.ts';
import { legalFeature } from './features/legal/index.ts';
import { licencesFeature } from './features/licences/index.ts';
import { mailFeature } from './features/mail/index.ts';
import { newsletterFeature } from './features/newsletter/index.ts';
import { operationsFeature } from './features/operations/index.ts';
import { ordersFeature } from './features/orders/index.ts';
import { paymentsFeature } from './features/payments/index.ts';
import { rightsFeature } from './features/rights/index.ts';
import { registrationsFeature } from './features/registrations/index.ts';
import { supportFeature } from './features/support/index.ts';
import { surveysFeature } from './features/surveys/index.ts';
import { defineFeature, type Feature } from './feature.ts';
import { instanceKeysDataMap, instanceKeysMigrations } from './platform/instance-keys/index.ts';
import { jobsDataMap, jobsMigrations } from './platform/jobs/index.ts';
import { consentFeature } from './privacy/consent/index.ts';
import { disclosuresFeature } from './privacy/disclosures/index.ts';
import { privacyFeature } from './privacy/index.ts';
import { usageLogFeature } from './privacy/usage-log/index.ts';
import { shellFeature } from './features/shell/index.ts';

/** The platform's scheduler lease table, as a manifest (the platform itself knows no manifests). */
const jobsFeature = defineFeature({ name: 'jobs', migrations: jobsMigrations, dataMap: jobsDataMap });
/** The fingerprints of the keys every process must share, as a manifest (platform/instance-keys). */
const instanceKeysFeature = defineFeature({
  name: 'instance-keys',
  migrations: instanceKeysMigrations,
  dataMap: instanceKeysDataMap,
});

// Global plugins (the session, consent, the usage log) register first, in this order; each names the ones it
// needs, so an order that breaks a need fails at start. Then each feature's routes, in a scope of their own.
export const features: Feature[] = [
  jobsFeature,
  instanceKeysFeature,
  usageLogFeature,
  shellFeature,
  mailFeature,
  disclosuresFeature,
  accountsFeature,
  consentFeature,
  catalogFeature,
  basketFeature,
  paymentsFeature,
  creditFeature,
  invoicesFeature,
  registrationsFeature,
  licencesFeature,
  legalFeature,
  ordersFeature,
  advertisingFeature,
  newsletterFeature,
  campaignsFeature,
  downloadsFeature,
  surveysFeature,
  competitionsFeature,
  supportFeature,
  analyticsFeature,
  customersFeature,
  rightsFeature,
  privacyFeature,
  consoleFeature,
  operationsFeature,
];
