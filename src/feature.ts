// The shape of a feature manifest. `src/features.ts` lists them in order; nothing is discovered by scanning.
import type { Deps } from './deps.ts';
import type { Config } from './platform/config.ts';
import type { Migration } from './platform/db/migrate.ts';
import type { App, GlobalPlugin } from './platform/http/app.ts';
import type { Role } from './platform/http/context.ts';
import type { SafeHtml } from './platform/html.ts';
import type { Lang, Text } from './platform/i18n.ts';
import type { LeaderService as PlatformLeaderService, Job as PlatformJob } from './platform/jobs/scheduler.ts';
import type { DataMapPart } from './privacy/data-map.ts';
import type { PolicyLinks } from './privacy/policy-links.ts';
import type { NavLink } from './web/index.ts';

/**
 * A job names what it uses from Deps: `Job<'db' | 'clock'>` (by default it may use all of it). A scheduled job runs
 * in the worker that leads; one with `everyWorker: true` in every worker, claiming its rows (platform/jobs/scheduler.ts
 * says how). `run(deps, { signal })` may return `{ items }` for the run record and the metrics.
 */
export type Job<Needs extends keyof Deps = keyof Deps> = PlatformJob<Pick<Deps, Needs>>;

/** A long-running part only the worker that leads the scheduler runs (the inbound SMTP listener). */
export type LeaderService = PlatformLeaderService<Deps>;

/** One key figure on the staff home (/staff): a count or an amount, with a note ("3 overdue") and a console link. */
export interface ConsoleFigure {
  label: Text;
  value: number;
  unit: 'count' | 'cents';
  note?: { text: Text; params?: Record<string, string | number> };
  href?: string;
}

/** A series per day for the staff home's bar chart, one value per day of the period. */
export interface ConsoleChart {
  label: Text;
  unit: 'count' | 'cents';
  values: number[];
}

/** The days the staff home shows: the starts of the last 30 days in the operator's time zone, oldest first. */
export interface ConsolePeriod {
  now: number;
  /** 30 day starts; the last is today's. */
  days: number[];
  /** The start of tomorrow (the end of the last day). */
  end: number;
}

/** What a feature contributes to the staff home, for the roles that may use its consoles. */
export interface ConsoleFigureProvider {
  roles: readonly Role[];
  /** Position on the staff home, lowest first. */
  order: number;
  load: (deps: Deps, period: ConsolePeriod) => Promise<{ figures: ConsoleFigure[]; charts?: ConsoleChart[] }>;
}

/** What a feature shows staff about one customer on the customer page (/staff/customers/:id), and how it finds them. */
export interface CustomerSectionProvider {
  /** The roles that may see this section (the customer page itself is for staff and admin). */
  roles: readonly Role[];
  /** Position on the customer page, lowest first. */
  order: number;
  /** The section's heading and body for this customer; null when the feature holds nothing about them. */
  load: (deps: Deps, userId: string, lang: Lang) => Promise<{ title: Text; body: SafeHtml } | null>;
  /**
   * The accounts a search term names through this feature's data (an order number, a serial number): the
   * customer search adds them to the matches by name and email. At most `limit` ids; [] when the term is not
   * of this feature's kind.
   */
  findCustomers?: (deps: Deps, term: string, limit: number) => Promise<string[]>;
}

/**
 * A choice a feature offers at checkout (an unticked box, or a box to object), shown under the order form with its
 * notice before the address is used; the orders feature renders every registered choice and tells each feature,
 * inside the order's transaction, what the customer chose (issue 13: similar-product mail, survey invitations).
 */
export interface CheckoutChoice {
  /** The checkbox's form field, also the key in the API's `choices` object: `[a-z][a-zA-Z]*`. */
  field: string;
  /** Position under the order form, lowest first. */
  order: number;
  /** The box's label (the customer ticks it to say yes to what it says). */
  label: Text;
  /** The notice shown with the box: what happens with the address, and how to object or withdraw later. */
  notice: Text;
  /**
   * Called in the order's transaction once the order is written: `checked` is what the customer chose (false when
   * the box was left unticked or the API sent nothing). `offered` says whether the box, with its notice, was part of
   * the submission: always on the checkout page's form; through the API only when `choices` holds the field. A
   * choice that needs its notice shown first (the § 7(3) UWG enrolment) must do nothing when it was not offered.
   */
  onOrderPlaced: (
    deps: Deps,
    placed: {
      db: Deps['db'];
      userId: string;
      email: string;
      lang: Lang;
      orderId: string;
      checked: boolean;
      offered: boolean;
    },
  ) => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The features' console figure providers (their manifests' `consoleFigures`), for the staff home. */
    consoleFigures: ConsoleFigureProvider[];
    /** The features' sections of the staff customer page (their manifests' `customerSections`). */
    customerSections: CustomerSectionProvider[];
    /** The features' checkout choices (their manifests' `checkoutChoices`), in their order. */
    checkoutChoices: CheckoutChoice[];
  }
}

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
  /** Listeners and the like that run in the worker holding the scheduler's lease, started and stopped with it. */
  leaderServices?: LeaderService[];
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
  /** Links this feature adds to the site's header or legal footer, or the staff console's sidebar. */
  navigation?: NavLink[];
  /** Key figures (and charts) this feature's data gives the staff home. */
  consoleFigures?: ConsoleFigureProvider;
  /** What this feature shows on the staff customer page, and how the customer search finds people through it. */
  customerSections?: CustomerSectionProvider;
  /** Boxes this feature adds to the checkout form, with their notices (issue 13). */
  checkoutChoices?: CheckoutChoice[];
  /**
   * Path prefixes whose pages hold a secret or a person's data: answered with no-store and without any vendor's
   * tag, whatever the consent (platform/http/sensitive.ts). A route elsewhere says so with `config.sensitive`.
   */
  sensitivePaths?: string[];
  /** The page where visitors sign in (one feature has it): a page that needs an account sends visitors there. */
  signInPath?: string;
  /** The page the header's search field sends its query to, as `q` (one feature has it; none: no search field). */
  searchPath?: string;
  /** The staff console's home (one feature has it): pages under it render in the console's frame for staff. */
  consolePath?: string;
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
