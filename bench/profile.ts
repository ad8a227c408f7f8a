// `npx tsx bench/profile.ts <path> [NAME=value ...]`: Candor under load with V8's CPU profiler on, and where its
// time went (self and inclusive, per function and per module). A tool for finding a cost, not a measurement:
// the profiler itself slows the server down. NAME=value pairs go into the server's environment
// (e.g. LISTING_CACHE_MS=0 USAGE_LOG=on DATABASE_URL=postgres://…); BENCH_SECONDS (default 8) and
// BENCH_CONNECTIONS (default 50) as for `npm run bench`; BENCH_PROFILE_TOP rows per table (default 30);
// BENCH_PROFILE_KEEP=dir keeps the .cpuprofile there (open it in Chrome's DevTools).
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanUpEverything, installCleanupHandlers, makeTempDir } from './cleanup.ts';
import { envFromPairs, intFromEnv } from './env.ts';
import { frameKey, moduleOf, topList, type CallFrame } from './frames.ts';
import { cannon, startServer, type Target } from './throughput.ts';

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** `window`: microseconds since the profile's start that count (the measured run, not start-up and warm-up). */
export function summarise(profile: CpuProfile, top: number, window?: { from: number; to: number }): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const moduleSelf = new Map<string, number>();
  const moduleInclusive = new Map<string, number>();
  let total = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const ms = delta / 1000;
    const node = byId.get(id);
    if (!node || (window && (at < window.from || at > window.to))) return;
    total += ms;
    const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + ms);
    add(self, frameKey(node.callFrame));
    add(moduleSelf, moduleOf(node.callFrame.url));
    // Each function and module once per sample, however often it recurs on the stack.
    const seen = new Set<string>();
    const seenModules = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const key = frameKey(n.callFrame);
      if (!seen.has(key)) {
        add(inclusive, key);
        seen.add(key);
      }
      const mod = moduleOf(n.callFrame.url);
      if (!seenModules.has(mod)) {
        add(moduleInclusive, mod);
        seenModules.add(mod);
      }
    }
  });
  const list = (title: string, map: Map<string, number>) =>
    topList(
      title,
      map,
      top,
      (ms) => `${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms`,
    );
  return [
    `${total.toFixed(0)} ms sampled`,
    list('self time by function', self),
    list('self time by module', moduleSelf),
    list('inclusive time by function (on the stack)', inclusive),
    list('inclusive time by module', moduleInclusive),
  ].join('\n\n');
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const [path, ...pairs] = process.argv.slice(2);
  if (!path?.startsWith('/')) throw new Error('usage: bench/profile.ts </path> [NAME=value ...]');
  const env = envFromPairs(pairs);
  const seconds = intFromEnv('BENCH_SECONDS', 8, 1);
  const connections = intFromEnv('BENCH_CONNECTIONS', 50, 1);
  const top = intFromEnv('BENCH_PROFILE_TOP', 30, 1);
  const dataDir = makeTempDir('profile');
  const profileDir = makeTempDir('profile-out');
  const target: Target = { id: 'profile', label: `profile ${path}`, kind: 'candor', path, env };
  const server = await startServer(target, dataDir, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  const url = `http://127.0.0.1:${server.port}${path}`;
  await cannon(url, 2, connections);
  const measuredFrom = performance.now();
  const result = await cannon(url, seconds, connections);
  const measuredTo = performance.now();
  process.stdout.write(
    `${url}: ${Math.round(result.requests.total / result.duration)} req/s under the profiler, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx\n`,
  );
  await server.stop();
  const stopped = performance.now();
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('the server wrote no profile (it did not exit normally)');
  if (process.env.BENCH_PROFILE_KEEP) copyFileSync(join(profileDir, file), join(process.env.BENCH_PROFILE_KEEP, file));
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
  // The profile ends when the server exits, about when stop() returns: the measured run is counted back from there.
  const length = profile.endTime - profile.startTime;
  const window = { from: length - (stopped - measuredFrom) * 1000, to: length - (stopped - measuredTo) * 1000 };
  process.stdout.write(`${summarise(profile, top, window)}\n`);
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`profile failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(cleanUpEverything);
