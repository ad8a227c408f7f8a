// Settings of the benches from the environment: a clear error for a value that is not one, instead of a NaN that
// makes a bench measure nothing.

/** A whole number ≥ `min` from `name` (`_` and `,` as digit separators allowed), or `fallback` when unset. */
export function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim().replace(/[_,]/g, '');
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got "${process.env[name]}"`);
  return Number(raw);
}

/** `NAME=value` arguments as an environment for a server child (the tools' command lines). */
export function envFromPairs(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((p) => {
      const at = p.indexOf('=');
      if (at < 1) throw new Error(`not NAME=value: ${p}`);
      return [p.slice(0, at), p.slice(at + 1)];
    }),
  );
}
