// Keyset page positions for every staff list: a cursor names the edge row of a page by its sort value and id,
// written `<value>.<id>` (ids never contain a dot, so a text value may). Bad input is a 400 in the user's language,
// the same words on every list; a cursor only says where to start, so a well-formed but stale one is harmless.
import { errors } from '../platform/errors.ts';

export interface Cursor<V extends number | string> {
  value: V;
  id: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const NUMBER = /^-?\d{1,16}$/;
const MAX_TEXT = 320;

export const invalidCursor = () =>
  errors.invalid({
    en: 'This page address is not valid; start again from the first page.',
    de: 'Diese Seitenadresse ist ungültig; beginnen Sie bitte wieder auf der ersten Seite.',
  });

/** The cursor of a row: its sort value and id. */
export function encodeCursor(value: number | string, id: string): string {
  return `${value}.${id}`;
}

function split(raw: string): [string, string] {
  const dot = raw.lastIndexOf('.');
  const id = raw.slice(dot + 1);
  if (dot < 1 || !ID.test(id)) throw invalidCursor();
  return [raw.slice(0, dot), id];
}

/** A cursor whose sort value is a whole number (a time, a position); undefined for none (the first page). */
export function parseNumberCursor(raw: string | undefined): Cursor<number> | undefined {
  if (raw === undefined || raw === '') return undefined;
  const [value, id] = split(raw);
  if (!NUMBER.test(value) || !Number.isSafeInteger(Number(value))) throw invalidCursor();
  return { value: Number(value), id };
}

/** A cursor whose sort value is text (an address); undefined for none (the first page). */
export function parseTextCursor(raw: string | undefined): Cursor<string> | undefined {
  if (raw === undefined || raw === '') return undefined;
  const [value, id] = split(raw);
  if (value.length > MAX_TEXT) throw invalidCursor();
  return { value, id };
}
