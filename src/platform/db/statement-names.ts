// Names of the statements run again and again (runPrepared's shapes): on PostgreSQL each goes as a named prepared
// statement, parsed and planned once per connection instead of on every run (decision 0064). Keyed by SQL text, so
// the same statement has one name in every pool; the name is all a connection needs to find its prepared copy.

/** At most this many names (runPrepared keeps at most 1,000 shapes per database; the hot ones are a few dozen). */
const MAX_NAMES = 2000;

const names = new Map<string, string>();

/** Gives `text` a name of its own, once; past MAX_NAMES new texts go unnamed (parsed every run, as before). */
export function nameStatement(text: string): void {
  if (!names.has(text) && names.size < MAX_NAMES) names.set(text, `candor_${names.size + 1}`);
}

/** The name of a statement given one by nameStatement. */
export function statementName(text: string): string | undefined {
  return names.get(text);
}
