// Experiments: the one function features read a variant through, and the staff's use cases. Assignment is
// deterministic (sha256 of the experiment id and the consenting visitor's pseudonym against the weights) and only
// for visitors with a pseudonym; everyone else sees the control and is not counted. Stopping aggregates the
// assignments and deletes them in one transaction.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import { GOALS, type AnalyticsRecorder } from './analytics.model.ts';
import {
  countAssignmentsByVariant,
  deleteAssignments,
  deleteDraftExperiment,
  findExperimentById,
  findExperimentByKey,
  insertExperiment,
  insertExperimentResults,
  listExperimentResults,
  listExperiments,
  markExperimentRunning,
  markExperimentStopped,
  updateDraftExperiment,
  type ExperimentRow,
} from './analytics.experiments.queries.ts';
import { experimentStatistics, type VariantResult } from './analytics.experiments.stats.ts';

export const EXPERIMENT_STATES = ['draft', 'running', 'stopped'] as const;
export type ExperimentState = (typeof EXPERIMENT_STATES)[number];
export const GOAL_KINDS = ['pageview', ...GOALS] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];
export const MAX_VARIANTS = 5;
export const KEY_PATTERN = /^[a-z][a-z0-9-]{1,40}$/;
const VARIANT_KEY_PATTERN = /^[a-z][a-z0-9-]{0,40}$/;

export interface Variant {
  key: string;
  weight: number;
}

export interface ExperimentDetails {
  key: string;
  name: string;
  changes: string;
  goalKind: GoalKind;
  goalPath: string | null;
  variants: Variant[];
}

export function parseVariants(json: string): Variant[] {
  return JSON.parse(json) as Variant[];
}

/** The variant of `pseudonym`: a point in [0, 1) from sha256(experiment id, pseudonym), laid over the weights. */
export function pickVariant(experimentId: string, pseudonym: string, variants: readonly Variant[]): string {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  const digest = createHash('sha256').update(`${experimentId}:${pseudonym}`).digest();
  let point = (digest.readUInt32BE(0) / 2 ** 32) * total;
  for (const v of variants) {
    if (point < v.weight) return v.key;
    point -= v.weight;
  }
  return variants.at(-1)?.key ?? 'control';
}

// ---- The per-process cache of experiments, so that a request reads its variant synchronously ----

interface CachedExperiment {
  id: string;
  state: string;
  variants: Variant[];
}

const REFRESH_MS = 5_000;
const SEEN_LIMIT = 50_000;

/** Every experiment by key (few rows), reloaded when older than 5 s and at once where one is changed. */
export class ExperimentCache {
  private byKey = new Map<string, CachedExperiment>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;
  /** Exposures this process already queued (the recorder inserts once anyway; this spares it the work). */
  private seen = new Set<string>();
  constructor(readonly deps: Pick<Deps, 'db' | 'clock' | 'log'>) {}

  refresh(): Promise<void> {
    this.loading ??= listExperiments(this.deps.db)
      .then((rows) => {
        this.byKey = new Map(
          rows.map((r) => [r.key, { id: r.id, state: r.state, variants: parseVariants(r.variants) }]),
        );
        this.loadedAt = performance.now();
      })
      .catch((err: unknown) => {
        this.deps.log.warn({ err: (err as Error).message }, 'experiments could not be loaded; showing the control');
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  lookup(key: string): CachedExperiment | undefined {
    if (performance.now() - this.loadedAt > REFRESH_MS) void this.refresh();
    return this.byKey.get(key);
  }

  firstExposure(experimentId: string, pseudonym: string): boolean {
    const id = `${experimentId}\n${pseudonym}`;
    if (this.seen.has(id)) return false;
    if (this.seen.size >= SEEN_LIMIT) this.seen.clear();
    this.seen.add(id);
    return true;
  }
}

/** Keyed by the recorder the analytics plugin decorates the root instance with: one per app, seen from every scope. */
const caches = new WeakMap<AnalyticsRecorder, ExperimentCache>();

/** Makes (once per app) the cache experimentVariant reads; the first load starts at once. */
export function experimentCacheFor(app: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'log'>): ExperimentCache {
  const recorder = app.hasDecorator('analyticsRecorder') ? app.analyticsRecorder : undefined;
  const known = recorder && caches.get(recorder);
  if (known) return known;
  const cache = new ExperimentCache(deps);
  if (recorder) caches.set(recorder, cache);
  return cache;
}

/** For tests with a recorder of their own. */
export function attachExperimentCache(recorder: AnalyticsRecorder, cache: ExperimentCache): void {
  caches.set(recorder, cache);
}

/**
 * The variant of the running experiment `key` this visitor sees: the control (the first variant, named as staff
 * named it; 'control' for an unknown key) without a pseudonym, or when the experiment is not running. A variant
 * seen by a consenting visitor is recorded as an exposure. Synchronous: reads the per-process cache.
 */
export function experimentVariant(request: FastifyRequest, key: string): string {
  const recorder = request.server.analyticsRecorder as AnalyticsRecorder | undefined;
  const cache = recorder && caches.get(recorder);
  const experiment = cache?.lookup(key);
  if (!recorder || !cache || !experiment) return 'control';
  const control = experiment.variants[0]?.key ?? 'control';
  const pseudonym = request.analytics?.pseudonym;
  if (experiment.state !== 'running' || !pseudonym || recorder.isExcluded(pseudonym)) return control;
  const variant = pickVariant(experiment.id, pseudonym, experiment.variants);
  if (cache.firstExposure(experiment.id, pseudonym))
    recorder.recordExposure({ experimentId: experiment.id, pseudonym, variant, at: cache.deps.clock.now() });
  return variant;
}

// ---- Staff use cases ----

const required: Text = { en: 'Please fill in this field.', de: 'Bitte füllen Sie dieses Feld aus.' };

export interface ExperimentForm {
  key?: string | undefined;
  name?: string | undefined;
  changes?: string | undefined;
  goal_kind?: string | undefined;
  goal_path?: string | undefined;
  [variantField: `variant_${'key' | 'weight'}_${number}`]: string | undefined;
}

/** The details of the form, or a 400 naming every field to correct. */
export function validateExperiment(form: ExperimentForm): ExperimentDetails {
  const problems: Record<string, Text> = {};
  const key = form.key?.trim() ?? '';
  if (!KEY_PATTERN.test(key))
    problems.key = {
      en: 'Enter a key of 2 to 41 characters: lower-case letters, digits and hyphens, starting with a letter.',
      de: 'Geben Sie einen Schlüssel aus 2 bis 41 Zeichen ein: Kleinbuchstaben, Ziffern und Bindestriche, beginnend mit einem Buchstaben.',
    };
  const name = form.name?.trim() ?? '';
  if (!name) problems.name = required;
  const changes = form.changes?.trim() ?? '';
  if (!changes) problems.changes = required;
  const goalKind = GOAL_KINDS.find((g) => g === form.goal_kind);
  if (!goalKind) problems.goal_kind = { en: 'Choose a goal.', de: 'Wählen Sie ein Ziel.' };
  const goalPath = form.goal_path?.trim() ?? '';
  if (goalKind === 'pageview' && !/^\/[^\s?#]{0,499}$/.test(goalPath))
    problems.goal_path = {
      en: 'Enter the path of the page that counts as a conversion, starting with “/”, e.g. /checkout.',
      de: 'Geben Sie den Pfad der Seite ein, die als Erfolg zählt, beginnend mit „/“, z. B. /checkout.',
    };
  const variants: Variant[] = [];
  for (let i = 1; i <= MAX_VARIANTS; i++) {
    const vKey = form[`variant_key_${i}`]?.trim() ?? '';
    const vWeight = form[`variant_weight_${i}`]?.trim() ?? '';
    if (!vKey && !vWeight) continue;
    const weight = /^\d{1,4}$/.test(vWeight) ? Number(vWeight) : NaN;
    if (!VARIANT_KEY_PATTERN.test(vKey) || variants.some((v) => v.key === vKey))
      problems[`variant_key_${i}`] = {
        en: 'Enter a key of its own: lower-case letters, digits and hyphens, starting with a letter.',
        de: 'Geben Sie einen eigenen Schlüssel ein: Kleinbuchstaben, Ziffern und Bindestriche, beginnend mit einem Buchstaben.',
      };
    if (!(weight >= 1 && weight <= 1000))
      problems[`variant_weight_${i}`] = {
        en: 'Enter a weight from 1 to 1000.',
        de: 'Geben Sie ein Gewicht von 1 bis 1000 ein.',
      };
    variants.push({ key: vKey, weight });
  }
  if (variants.length < 2)
    problems.variant_key_1 = {
      en: 'Give 2 to 5 variants; the first is the control.',
      de: 'Geben Sie 2 bis 5 Varianten an; die erste ist die Kontrollgruppe.',
    };
  if (Object.keys(problems).length > 0) throw errors.invalidFields(problems);
  return {
    key,
    name: name.slice(0, 200),
    changes: changes.slice(0, 2000),
    goalKind: goalKind!,
    goalPath: goalKind === 'pageview' ? goalPath : null,
    variants,
  };
}

const keyTaken = (): AppError =>
  errors.invalidFields({
    key: {
      en: 'Another experiment already uses this key.',
      de: 'Ein anderes Experiment nutzt diesen Schlüssel schon.',
    },
  });

const notDraft = (): AppError =>
  new AppError(409, 'experiment_not_draft', {
    en: 'Only a draft can be changed, started or deleted.',
    de: 'Nur ein Entwurf kann geändert, gestartet oder gelöscht werden.',
  });

function detailsRow(d: ExperimentDetails) {
  return {
    key: d.key,
    name: d.name,
    changes: d.changes,
    goal_kind: d.goalKind,
    goal_path: d.goalPath,
    variants: JSON.stringify(d.variants),
  };
}

export async function createExperiment(deps: Pick<Deps, 'db' | 'clock'>, details: ExperimentDetails): Promise<string> {
  if (await findExperimentByKey(deps.db, details.key)) throw keyTaken();
  const id = randomUUID();
  await insertExperiment(deps.db, {
    id,
    ...detailsRow(details),
    state: 'draft',
    created_at: deps.clock.now(),
    started_at: null,
    stopped_at: null,
  });
  return id;
}

export async function loadExperiment(deps: Pick<Deps, 'db'>, id: string): Promise<ExperimentRow> {
  const row = await findExperimentById(deps.db, id);
  if (!row) throw errors.notFound();
  return row;
}

export async function changeExperiment(deps: Pick<Deps, 'db'>, id: string, details: ExperimentDetails): Promise<void> {
  await loadExperiment(deps, id);
  const other = await findExperimentByKey(deps.db, details.key);
  if (other && other.id !== id) throw keyTaken();
  if (!(await updateDraftExperiment(deps.db, id, detailsRow(details)))) throw notDraft();
}

export async function startExperiment(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<void> {
  await loadExperiment(deps, id);
  if (!(await markExperimentRunning(deps.db, id, deps.clock.now()))) throw notDraft();
}

export async function deleteExperiment(deps: Pick<Deps, 'db'>, id: string): Promise<void> {
  await loadExperiment(deps, id);
  if (!(await deleteDraftExperiment(deps.db, id))) throw notDraft();
}

/** In one transaction: the assignments become per-variant aggregates and are deleted; the experiment is stopped. */
export async function stopExperiment(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<void> {
  await loadExperiment(deps, id);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await markExperimentStopped(trx, id, deps.clock.now())))
      throw new AppError(409, 'experiment_not_running', {
        en: 'Only a running experiment can be stopped.',
        de: 'Nur ein laufendes Experiment kann beendet werden.',
      });
    const counts = await countAssignmentsByVariant(trx, id);
    await insertExperimentResults(
      trx,
      counts.map((c) => ({ experiment_id: id, ...c })),
    );
    await deleteAssignments(trx, id);
  });
}

export interface ExperimentReport {
  row: ExperimentRow;
  variants: Variant[];
  results: VariantResult[];
  /** Where the figures come from: live assignments (running), the kept aggregates (stopped), none (draft). */
  source: 'assignments' | 'aggregates' | 'none';
}

export async function experimentReport(deps: Pick<Deps, 'db'>, id: string): Promise<ExperimentReport> {
  const row = await loadExperiment(deps, id);
  const variants = parseVariants(row.variants);
  const source = row.state === 'running' ? 'assignments' : row.state === 'stopped' ? 'aggregates' : 'none';
  const counts =
    source === 'assignments'
      ? await countAssignmentsByVariant(deps.db, id)
      : source === 'aggregates'
        ? await listExperimentResults(deps.db, id)
        : [];
  return { row, variants, results: experimentStatistics(variants, counts), source };
}
