// The operator's facts that the privacy policy and imprint need: controller, DPO, supervisory authority.
// They come from a JSON file; without one the demo company (fictional) is used.
import { existsSync, readFileSync } from 'node:fs';

export interface Operator {
  company: string;
  address: string[];
  email: string;
  registry: string;
  vatId: string;
  dpo: { name: string; email: string };
  supervisoryAuthority: { name: string; address: string[]; url: string };
}

export const demoOperator: Operator = {
  company: 'Tonfabrik Demo Audio GmbH',
  address: ['Beispielweg 12', '10115 Berlin', 'Germany'],
  email: 'hello@tonfabrik.example',
  registry: 'Amtsgericht Charlottenburg, HRB 000000 (demo)',
  vatId: 'DE000000000 (demo)',
  dpo: { name: 'Dana Beispiel', email: 'privacy@tonfabrik.example' },
  supervisoryAuthority: {
    name: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit',
    address: ['Alt-Moabit 59-61', '10555 Berlin', 'Germany'],
    url: 'https://www.datenschutz-berlin.de',
  },
};

export function loadOperator(file: string): Operator {
  if (!existsSync(file)) return demoOperator;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`The operator file ${file} is not valid JSON.`);
  }
  const merged = { ...demoOperator, ...(parsed as Partial<Operator>) };
  const missing = (['company', 'email'] as const).filter((k) => typeof merged[k] !== 'string' || merged[k] === '');
  if (missing.length > 0) throw new Error(`The operator file ${file} needs ${missing.join(', ')}.`);
  if (typeof merged.dpo?.email !== 'string' || typeof merged.dpo?.name !== 'string') {
    throw new Error(`The operator file ${file} needs dpo.name and dpo.email.`);
  }
  return merged;
}
