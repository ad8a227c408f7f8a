import assert from 'node:assert/strict';
import { test } from 'node:test';
import { p99Stability, quantile, windowP99s, type Timed } from './latency.ts';

const START = 1_000_000;

/** `perSecond` answers a second for `minutes`, each taking `ms(second)`. */
function run(minutes: number, ms: (second: number) => number, perSecond = 100): Timed[] {
  const out: Timed[] = [];
  for (let s = 0; s < minutes * 60; s++)
    for (let i = 0; i < perSecond; i++) out.push({ at: START + s * 1000 + (i * 1000) / perSecond, ms: ms(s) });
  return out;
}

test('quantile takes the nearest rank and 0 for nothing', () => {
  assert.equal(quantile([], 0.99), 0);
  assert.equal(quantile([5, 1, 3], 0.5), 3);
  assert.equal(quantile([...Array(100).keys()], 0.99), 99);
});

test('each window gets its own p99, empty windows left out', () => {
  const samples: Timed[] = [
    { at: START + 1, ms: 4 },
    { at: START + 2, ms: 8 },
    { at: START + 25_000, ms: 30 },
  ];
  assert.deepEqual(windowP99s(samples, START, START + 30_000, 10_000), [8, 30]);
});

test('a stall of the machine in one window of the last minute is not a trend', () => {
  // What CI saw once: the last minute's p99 over twice the first's from one stall of a few seconds.
  const samples = run(2, (s) => (s >= 100 && s < 104 ? 400 : 20));
  const minuteP99 = quantile(
    samples.filter((x) => x.at >= START + 60_000).map((x) => x.ms),
    0.99,
  );
  assert.ok(minuteP99 > 2 * 20, 'the plain minute p99 would have failed the run');
  assert.deepEqual(p99Stability(samples, START, 2), { stable: true, referenceMinute: 1, reference: 20, last: 20 });
});

test('a sustained rise in the last minute is unstable', () => {
  const samples = run(2, (s) => (s < 60 ? 20 : 20 + (s - 60) * 2));
  const judged = p99Stability(samples, START, 2);
  assert.equal(judged.stable, false);
  assert.ok(judged.last > 40, `last ${judged.last}`);
});

test('a slow first minute (warm-up) against a steady last one is stable, and a one-minute run has nothing to compare', () => {
  assert.equal(
    p99Stability(
      run(3, (s) => (s < 20 ? 200 : 30)),
      START,
      3,
    ).stable,
    true,
  );
  assert.deepEqual(
    p99Stability(
      run(1, () => 10),
      START,
      1,
    ),
    { stable: true, referenceMinute: 0, reference: 0, last: 0 },
  );
});

test('a longer run is judged against its first minute after the warm-up, not against the warm-up itself', () => {
  // A fresh system's first minute runs before the work that recurs from then on (autovacuum, full collections, jobs).
  const settled = run(3, (s) => (s < 60 ? 20 : 45));
  assert.deepEqual(p99Stability(settled, START, 3), { stable: true, referenceMinute: 2, reference: 45, last: 45 });
  // Judged against the first minute, as a two-minute run must be, the same rise would fail.
  assert.equal(
    p99Stability(
      run(2, (s) => (s < 60 ? 20 : 45)),
      START,
      2,
    ).stable,
    false,
  );
  // A rise after the warm-up is still a rise.
  const rising = p99Stability(
    run(3, (s) => (s < 120 ? 20 : 20 + (s - 120) * 2)),
    START,
    3,
  );
  assert.equal(rising.stable, false);
  assert.equal(rising.referenceMinute, 2);
});
