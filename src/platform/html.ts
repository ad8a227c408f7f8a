// HTML templates that escape every interpolated value. The only way to insert markup unescaped is
// `unsafeRaw`, which is greppable on purpose; nested `html` results are already safe.
//
// Pages are built from many small templates (a product card is a handful), so this runs thousands of times per
// page: strings, the commonest value, are handled inline and lists are joined without intermediate arrays.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | Value[];

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NEEDS_ESCAPING = /[&<>"']/;
const ESCAPED = /[&<>"']/g;
const escapeChar = (ch: string) => escapes[ch] as string;

export function escapeHtml(text: string): string {
  // Most values (titles, prices, ids) need no escaping; testing first avoids building a new string.
  return NEEDS_ESCAPING.test(text) ? text.replace(ESCAPED, escapeChar) : text;
}

function render(value: Value): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value) out += render(item);
    return out;
  }
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string') out += NEEDS_ESCAPING.test(value) ? value.replace(ESCAPED, escapeChar) : value;
    else if (value instanceof SafeHtml) out += value.value;
    else out += render(value as Value);
    out += strings[i + 1] as string;
  }
  return new SafeHtml(out);
}

/** Inserts trusted markup as it is. Never pass anything derived from input. */
export function unsafeRaw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
