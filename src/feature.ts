// The shape of a feature manifest. `src/features.ts` lists them in order; nothing is discovered by scanning.
import type { Deps } from './deps.ts';
import type { Config } from './platform/config.ts';
import type { Migration } from './platform/db/migrate.ts';
import type { App, GlobalPlugin } from './platform/http/app.ts';
import type { Job as PlatformJob } from './platform/jobs/scheduler.ts';
import type { DataMapPart } from './privacy/data-map.ts';
import type { PolicyLinks } from './privacy/policy-links.ts';
import type { NavLink } from './web/index.ts';

/** A job names what it uses from Deps: `Job<'db' | 'clock'>` (by default it may use all of it). */
export type Job<Needs extends keyof Deps = keyof Deps> = PlatformJob<Pick<Deps, Needs>>;

export interface Feature {
  name: string;
  /**
   * Hooks and request decorations every route needs, registered before any feature's routes under a
   * declared name, with the global plugins they need (fastify-plugin checks that those came first).
   */
  plugins?: GlobalPlugin<Deps>[];
  /** The feature's routes, registered in a scope of their own: their hooks apply to these routes only. */
  routes?: (app: App, deps: Deps) => void | Promise<void>;
  jobs?: Job[];
  /** A function when periods come from configuration (statutory retention). */
  dataMap?:
    | DataMapPart
    | ((
        config: Pick<Config, 'retention'> & {
          consentRecordDays: number;
          paymentProvider?: string;
          /** CREDIT_CHECK_METHODS: the credit check's purpose names the checked methods. */
          creditCheckMethods?: Config['creditCheckMethods'];
          /** CREDIT_AGENCY: the policy names the agency's company as recipient and source. */
          creditAgency?: Config['creditAgency'];
          /** CREDIT_CHECKS_PER_DAY: the policy states the daily allowance of checks. */
          creditChecksPerDay?: number;
        },
      ) => DataMapPart);
  /** Links this feature adds to the site's header or legal footer. */
  navigation?: NavLink[];
  /**
   * Path prefixes whose pages hold a secret or a person's data: answered with no-store and without any vendor's
   * tag, whatever the consent (platform/http/sensitive.ts). A route elsewhere says so with `config.sensitive`.
   */
  sensitivePaths?: string[];
  /** The page where visitors sign in (one feature has it): a page that needs an account sends visitors there. */
  signInPath?: string;
  /** The page the header's search field sends its query to, as `q` (one feature has it; none: no search field). */
  searchPath?: string;
  /** The pages that let a person exercise a right or see an activity, for the published policy to link to. */
  policyLinks?: PolicyLinks;
  migrations?: Migration[];
  /** Migrations that depend on configuration, run after `migrations` (the test payment provider's tables exist only while it is active). */
  configuredMigrations?: (config: { paymentProvider: string }) => Migration[];
  /** Demo data for a first start; must do nothing when the data is already there. */
  seed?: (deps: Deps) => Promise<void>;
}

export function defineFeature(feature: Feature): Feature {
  return feature;
}
