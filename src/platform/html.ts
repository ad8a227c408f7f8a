// HTML templates that escape every interpolated value. The only way to insert markup unescaped is
// `unsafeRaw`, which is greppable on purpose; nested `html` results are already safe.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | Value[];

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NEEDS_ESCAPING = /[&<>"']/;

export function escapeHtml(text: string): string {
  // Most values (titles, prices, ids) need no escaping; testing first avoids building a new string.
  return NEEDS_ESCAPING.test(text) ? text.replace(/[&<>"']/g, (ch) => escapes[ch] as string) : text;
}

function render(value: Value): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Value) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Inserts trusted markup as it is. Never pass anything derived from input. */
export function unsafeRaw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
