// The `candor` command line: serve, worker, start (both), migrate, seed, retention, subject requests, users.
// It reads the same configuration as the server (DATA_DIR, DATABASE_URL, ...).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { createDeps, migrateDatabase, seedDemoData } from './composition.ts';
import type { Deps } from './deps.ts';
import { createStaffUser, resetSecondFactorByEmail } from './features/accounts/index.ts';
import { FixedClock, systemClock } from './platform/clock.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { AppError } from './platform/errors.ts';
import { roles, type Role } from './platform/http/context.ts';
import { runRetention } from './privacy/retention.ts';
import { eraseSubjectData, exportSubjectData } from './privacy/subject.ts';
import { buildWorker } from './worker.ts';
import { runAudit } from './privacy/audit/audit.ts';
import { verifyDrawBySlug } from './features/competitions/index.ts';
import { licenceSigningPublicKey } from './features/licences/index.ts';
import {
  adoptInstanceKeys,
  checkInstanceKeys,
  mismatchMessage,
  type InstanceKey,
} from './platform/instance-keys/index.ts';

const usage = `Usage: candor <command>

  start                        web server and worker in one process (the embedded default); seeds demo data
  serve                        web server only
  worker                       worker only (outbox delivery, retention, scheduled jobs)
  migrate                      apply database migrations
  seed                         add the demo company's catalogue (does nothing twice)
  retention run [--now ISO]    run every retention rule once, as of now or the given time
  subject export --email E [--out FILE]   write everything linked to a person as JSON
  subject erase --email E      erase a person's data as the data map says
  user create --email E --role customer|staff|dpo|admin [--name N]
  user reset-second-factor --email E   remove an account's second factor (lost device); it enrols again
  competition verify-draw SLUG re-run a competition's recorded draw from its record alone; exit 0 when the winners match
  keys adopt                   make this process's keys the ones every process must have (after changing a key on
                               purpose); every command but migrate refuses to run with keys that differ from them
  audit [--json]               check every promise of the data map against the database and the data directory
                               (retention periods, full IP addresses, audiences, files, classification, the
                               consent and access hash chains); exit 1 when any check fails
`;

class UsageError extends Error {}

export async function runCli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      now: { type: 'string' },
      email: { type: 'string' },
      out: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub] = positionals;
  if (!command || values.help) {
    process.stdout.write(usage);
    return command ? 0 : 1;
  }
  let clock = systemClock;
  if (values.now !== undefined) {
    const at = Date.parse(values.now);
    if (Number.isNaN(at))
      throw new UsageError(`--now must be an ISO-8601 time such as 2026-12-01T00:00:00Z, got "${values.now}".`);
    clock = new FixedClock(at);
  }
  const config = loadConfig();
  const deps = createDeps(config, { clock });
  const needEmail = () => {
    if (!values.email) throw new UsageError('--email is required.');
    return values.email;
  };
  const what = `${command}${sub ? ` ${sub}` : ''}`;
  try {
    await migrateDatabase(deps);
    if (what === 'keys adopt') {
      const { changed, unchanged } = await adoptInstanceKeys(deps.db, sharedKeys(deps), deps.clock.now());
      process.stdout.write(
        changed.length === 0
          ? 'Nothing to adopt: every key is already the recorded one.\n'
          : `Adopted this process's ${changed.join(', ')}${unchanged.length > 0 ? ` (unchanged: ${unchanged.join(', ')})` : ''}. Restart every process, each with these values.\n`,
      );
      return 0;
    }
    // `migrate` uses no key (a release job may run it without the shop's keys). The processes that serve record the
    // keys the first time and compare after; any other command only compares (platform/instance-keys).
    if (what !== 'migrate') {
      const record = what === 'start' || what === 'serve' || what === 'worker';
      const mismatches = await checkInstanceKeys(deps.db, sharedKeys(deps), deps.clock.now(), { record });
      if (mismatches.length > 0) throw new ConfigError([mismatchMessage(mismatches)]);
    }
    switch (what) {
      case 'start':
        await seedDemoData(deps);
        return await serve(deps, { web: true, worker: true });
      case 'serve':
        return await serve(deps, { web: true, worker: false });
      case 'worker':
        return await serve(deps, { web: false, worker: true });
      case 'migrate':
        process.stdout.write('Database is up to date.\n');
        return 0;
      case 'seed':
        await seedDemoData(deps);
        process.stdout.write('Demo data is in place.\n');
        return 0;
      case 'retention run': {
        const outcomes = await runRetention(deps);
        for (const o of outcomes)
          process.stdout.write(
            o.files !== undefined
              ? `${o.rule}: ${o.files} files\n`
              : `${o.rule}: ${o.rows} rows, ${o.partitionsDropped} partitions dropped\n`,
          );
        return 0;
      }
      case 'subject export': {
        const json = `${JSON.stringify(await exportSubjectData(deps, needEmail()), null, 2)}\n`;
        if (values.out) writeFileSync(values.out, json, { mode: 0o600 });
        else process.stdout.write(json);
        return 0;
      }
      case 'subject erase': {
        for (const o of await eraseSubjectData(deps, needEmail()))
          process.stdout.write(`${o.table}: ${o.action}, ${o.rows} rows\n`);
        return 0;
      }
      case 'user create': {
        const role = values.role as Role;
        if (!roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}.`);
        // Without BASE_URL the link points to this machine's default address, which the person's browser cannot open.
        if (!process.env.BASE_URL?.trim())
          process.stderr.write(
            `Warning: BASE_URL is not set, so the set-up link below points to ${deps.config.baseUrl}. A browser elsewhere cannot open it: replace its start with the shop's public address, and set BASE_URL (such as https://shop.example.com) so that the links in mail work too.\n`,
          );
        const { link } = await createStaffUser(deps, {
          email: needEmail(),
          role,
          ...(values.name ? { name: values.name } : {}),
        });
        process.stdout.write(
          `Account created. A mail with a link to choose a password is queued; the link is also here:\n${link}\n`,
        );
        return 0;
      }
      case 'user reset-second-factor': {
        // For the operator when the only admin lost the device (no other admin can reset it on the team page).
        await resetSecondFactorByEmail(deps, needEmail());
        process.stdout.write(
          'The second factor was removed and the change recorded. At the next console page the account sets up a new one.\n',
        );
        return 0;
      }
      case 'competition verify-draw': {
        const slug = positionals[2];
        if (!slug) throw new UsageError("competition verify-draw needs the competition's slug.");
        const check = await verifyDrawBySlug(deps, slug);
        if (!check) {
          process.stderr.write(`No draw is recorded for a competition "${slug}".\n`);
          return 1;
        }
        const entries = (JSON.parse(check.draw.entry_hashes) as unknown[]).length;
        process.stdout.write(
          `draw of ${slug}: ${entries} entries, ${check.draw.winners_wanted} winners wanted, seed ${check.draw.seed}\n`,
        );
        check.recomputed.positions.forEach((p, i) =>
          process.stdout.write(
            `  winner ${i + 1}: position ${p} of the sorted entries, hash ${check.recomputed.hashes[i]}\n`,
          ),
        );
        if (check.ok) {
          process.stdout.write('the recomputed winners match the recorded winners\n');
          return 0;
        }
        process.stderr.write(`the draw does NOT verify:\n${check.problems.map((p) => `  - ${p}`).join('\n')}\n`);
        return 1;
      }
      case 'audit': {
        // Every promise of the data map against the live database and data directory; non-zero when one fails.
        const report = await runAudit(deps);
        if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else
          for (const c of report.checks) {
            const figures = Object.entries(c.figures)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ');
            process.stdout.write(`${c.ok ? 'PASS' : 'FAIL'} ${c.id}: ${c.name.en} (${figures})\n`);
            for (const p of c.problems) process.stdout.write(`       - ${p}\n`);
          }
        if (!values.json)
          process.stdout.write(
            report.ok
              ? `All ${report.checks.length} checks pass.\n`
              : `${report.checks.filter((c) => !c.ok).length} of ${report.checks.length} checks fail.\n`,
          );
        return report.ok ? 0 : 1;
      }
      default:
        throw new UsageError(`Unknown command "${positionals.join(' ')}".\n\n${usage}`);
    }
  } finally {
    // Serving never returns (a signal ends the process, see serve): this runs for every other command, and for a
    // start that failed, whose database handle would otherwise keep the process alive.
    await deps.close();
  }
}

/** The keys every process of one shop must share (platform/instance-keys); the licence key once there is one. */
function sharedKeys(deps: Deps): InstanceKey[] {
  let licenceKey: string | undefined;
  try {
    licenceKey = licenceSigningPublicKey(deps);
  } catch (err) {
    throw new ConfigError([
      `LICENCE_SIGNING_KEY_FILE: the licence signing key cannot be read (${(err as Error).message}).`,
    ]);
  }
  return [
    { name: 'CANDOR_SECRET', value: deps.config.secret, secret: true },
    { name: 'SUPPRESSION_KEY', value: deps.config.suppressionKey, secret: true },
    { name: 'ANALYTICS_KEY', value: deps.config.analyticsKey, secret: true },
    ...(licenceKey === undefined ? [] : [{ name: 'LICENCE_SIGNING_KEY_FILE', value: licenceKey, secret: false }]),
  ];
}

/**
 * Runs until SIGTERM or SIGINT, then stops gracefully: the web server refuses new connections and lets requests in
 * flight finish (at most SHUTDOWN_GRACE_MS, then their connections are cut), the worker finishes or releases its
 * job, the usage-log buffer is written, the pool closed; exit 0. A second signal exits at once (1).
 */
async function serve(deps: Deps, what: { web: boolean; worker: boolean }): Promise<number> {
  const app = what.web ? await buildApp(deps) : undefined;
  let worker: ReturnType<typeof buildWorker> | undefined;
  try {
    worker = what.worker ? buildWorker(deps) : undefined;
    if (app) await app.listen({ port: deps.config.port, host: deps.config.host });
    worker?.start();
  } catch (err) {
    // A start that fails half-way (the port taken, the worker not built) closes what it began before the database
    // is closed: a server left listening (a throw after listen) would keep the process alive on a closed database.
    await Promise.allSettled([app?.close(), worker?.stop()]);
    throw err;
  }
  deps.log.info(
    { web: what.web, worker: what.worker, db: deps.dbKind, url: what.web ? deps.config.baseUrl : undefined },
    'candor started',
  );
  const graceMs = deps.config.shutdownGraceMs;
  const stop = async (signal: string) => {
    deps.log.info({ signal, graceMs }, 'candor stopping: finishing requests in flight');
    const cut = setTimeout(() => {
      deps.log.warn({ graceMs }, 'grace time over: closing the connections still open');
      app?.server.closeAllConnections();
    }, graceMs);
    // Neither a stuck job nor a database that does not answer may keep the process from ending.
    const last = setTimeout(() => {
      deps.log.error('candor did not stop in time: exiting');
      process.exit(1);
    }, graceMs + 15_000);
    last.unref();
    // A kept-alive connection whose request was in flight turns idle once its answer is out: close it then, rather
    // than hold it (and the stop) to the end of the grace time. Node closes idle connections only once, at close().
    const idle = app ? setInterval(() => app.server.closeIdleConnections(), 100) : undefined;
    await Promise.all([app?.close(), worker?.stop()]);
    clearInterval(idle);
    clearTimeout(cut);
    await deps.close();
    deps.log.info('candor stopped');
    process.exit(0);
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      deps.log.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    stop(signal).catch((err: unknown) => {
      deps.log.error({ err }, 'candor could not stop cleanly');
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return new Promise<number>(() => undefined);
}

export async function main(argv: string[]): Promise<void> {
  try {
    process.exitCode = await runCli(argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof AppError)
      process.stderr.write(
        `${err.text.en}\n${Object.values(err.fields)
          .map((f) => `  ${f.en}`)
          .join('\n')}\n`,
      );
    else if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    else throw err;
    process.exitCode = 2;
  }
}
