// Loaded into the server child by bench/allocations.ts (`--import`): V8's sampling heap profiler, counting every
// sampled allocation, also those the garbage collector has already taken back. SIGUSR2 starts it; the next SIGUSR2
// stops it and writes the profile to BENCH_ALLOC_OUT.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.BENCH_ALLOC_OUT;
if (out) {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  let sampling = false;
  process.on('SIGUSR2', () => {
    sampling = !sampling;
    const step = sampling
      ? post('HeapProfiler.enable').then(() =>
          post('HeapProfiler.startSampling', {
            samplingInterval: Number(process.env.BENCH_ALLOC_INTERVAL ?? 1024),
            includeObjectsCollectedByMinorGC: true,
            includeObjectsCollectedByMajorGC: true,
          }),
        )
      : post('HeapProfiler.stopSampling').then((result) => {
          // Written whole, then renamed: the parent waits for the name.
          writeFileSync(`${out}.part`, JSON.stringify((result as { profile: unknown }).profile));
          renameSync(`${out}.part`, out);
        });
    step.catch((err: unknown) => process.stderr.write(`allocation sampling failed: ${String(err)}\n`));
  });
}
