// The request runner: a request runs as named steps, each recorded in privacy_request_steps when done. A step's
// database effect commits in the same transaction as its record (`commit`), and a step without one is safe to
// repeat, so a process killed at any point resumes at the first step not recorded and never does one twice. A
// request is held by one process at a time through a lease on its row; an expired lease (a killed process) is
// taken over by the next run.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import { faultPoint } from '../../platform/faults.ts';
import { addRequestEvent } from './rights.service.ts';
import {
  claimRequest,
  insertDoneStep,
  selectDoneSteps,
  selectRequest,
  selectRunnableRequestIds,
  updateRequest,
} from './rights.queries.ts';
import type { PrivacyRequestsTable, RequestKind } from './rights.tables.ts';

export const LEASE_MS = 60_000;
/** Failed runs after which a request waits for staff instead of being tried again. */
export const MAX_ATTEMPTS = 5;

export interface StepContext {
  deps: Deps;
  request: PrivacyRequestsTable;
  /** What earlier steps recorded as their result, by step name. */
  results: ReadonlyMap<string, unknown>;
  /**
   * Runs `work` in a transaction that also records this step as done (with `result`, which later steps read): the
   * effect and the record commit together. At most once per step.
   */
  commit<T>(work: (trx: Transaction<Database>) => Promise<T>, result?: (value: T) => unknown): Promise<T>;
  /**
   * For a step that opens its own transaction (an erasure): records the step as done inside it, so that both
   * commit together. At most once per step; `commit` uses it.
   */
  markDone(trx: Kysely<Database>, result?: unknown): Promise<void>;
  /** Records how far a long step is (0 to 100), for the person's page; renews the lease. */
  progress(percent: number): Promise<void>;
}

export interface RequestStep {
  /** `<verb>-<noun>`, unique within its kind; the fault point `rights.<name>` is reached before it runs. */
  name: string;
  run(ctx: StepContext): Promise<void>;
}

export type StepsByKind = Partial<Record<RequestKind, readonly RequestStep[]>>;

export interface RunnerDeps {
  deps: Deps;
  steps: StepsByKind;
  /** This process, for the lease. */
  owner?: string;
}

const processOwner = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Runs every request that is due, one after another; returns how many finished. */
export async function runDueRequests(r: RunnerDeps, limit = 20): Promise<number> {
  let finished = 0;
  for (const id of await selectRunnableRequestIds(r.deps.db, r.deps.clock.now(), limit))
    if (await runRequest(r, id)) finished++;
  return finished;
}

/**
 * Takes the request and runs its remaining steps; true when it finished. False when another process holds it, it
 * is not in progress, or a step failed (counted; the next run tries again, the fifth failure hands it to staff).
 */
export async function runRequest(r: RunnerDeps, id: string): Promise<boolean> {
  const { deps } = r;
  const owner = r.owner ?? processOwner;
  const now = deps.clock.now();
  if (!(await claimRequest(deps.db, id, owner, now, now + LEASE_MS))) return false;
  const request = (await selectRequest(deps.db, id))!;
  const steps = r.steps[request.kind] ?? [];
  const done = new Map((await selectDoneSteps(deps.db, id)).map((s) => [s.step, s]));
  const results = new Map<string, unknown>();
  for (const [name, s] of done) results.set(name, s.result === null ? null : JSON.parse(s.result));
  try {
    for (const step of steps) {
      if (done.has(step.name)) continue;
      await updateRequest(deps.db, id, { lease_until: deps.clock.now() + LEASE_MS });
      faultPoint(`rights.${step.name}`);
      let marked = false;
      const ctx: StepContext = {
        deps,
        request,
        results,
        async commit(work, result) {
          return deps.db.transaction().execute(async (trx) => {
            const value = await work(trx);
            await ctx.markDone(trx, result ? result(value) : null);
            return value;
          });
        },
        async markDone(trx, result) {
          if (marked) throw new Error(`step ${step.name} recorded twice`);
          marked = true;
          await insertDoneStep(trx, {
            request_id: id,
            step: step.name,
            done_at: deps.clock.now(),
            result: result === null || result === undefined ? null : JSON.stringify(result),
          });
          results.set(step.name, result ?? null);
        },
        async progress(percent) {
          await updateRequest(deps.db, id, {
            progress: Math.max(0, Math.min(100, Math.round(percent))),
            lease_until: deps.clock.now() + LEASE_MS,
          });
        },
      };
      await step.run(ctx);
      if (!marked) await ctx.commit(async () => undefined);
      faultPoint(`rights.after-${step.name}`);
    }
    await deps.db.transaction().execute(async (trx) => {
      const at = deps.clock.now();
      await updateRequest(trx, id, {
        state: 'done',
        done_at: at,
        progress: 100,
        lease_until: null,
        lease_owner: null,
        outcome: JSON.stringify(Object.fromEntries(results)),
      });
      await addRequestEvent(trx, request, at, { actor: 'system', what: 'done' });
    });
    return true;
  } catch (err) {
    const attempts = request.attempts + 1;
    // No personal data: the request id and the error's name and code (the logger keeps no message).
    deps.log.error({ err, request: id, kind: request.kind, attempts }, 'a data-subject request step failed');
    await deps.db.transaction().execute(async (trx) => {
      await updateRequest(trx, id, {
        attempts,
        lease_until: null,
        lease_owner: null,
        ...(attempts >= MAX_ATTEMPTS ? { state: 'waiting' as const } : {}),
      });
      if (attempts >= MAX_ATTEMPTS)
        await addRequestEvent(trx, request, deps.clock.now(), { actor: 'system', what: 'failed' });
    });
    return false;
  }
}
