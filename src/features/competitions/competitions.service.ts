// Competition use cases: staff create and edit, people enter and confirm by mail, the draw picks the winners and
// deletes every other entry in the same transaction, withdrawal deletes an entry at once. A restriction (Art. 18)
// keeps an entry out of the draw without deleting it.
// An entry answers the same whether the address entered before or not, and sends at most one mail per entry.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { isDerivedSecret, secretPlaceholder } from '../../platform/secret-links.ts';
import { findObjection } from '../../privacy/objections.ts';
import { findUserByEmail, nameProblem, normaliseEmail } from '../accounts/index.ts';
import { enqueueMail } from '../mail/index.ts';
import { COMPETITION_ACTIVITY } from './competitions.data-map.ts';
import { DRAW_ALGORITHM, drawWinners, entryHash, verifyDraw, type DrawVerification } from './competitions.draw.ts';
import { confirmEntryMail } from './competitions.emails.ts';
import {
  confirmEntry,
  deleteEntry,
  deleteNonWinningEntries,
  deleteNonWinningEntriesOfDrawn,
  findCompetitionById,
  findCompetitionBySlug,
  findDrawOfCompetition,
  findEntryByAddress,
  findEntryByLinkRef,
  insertCompetition,
  insertDraw,
  insertEntry,
  listConfirmedEntries,
  listEndedUndrawnCompetitionIds,
  listWinners,
  markCompetitionDrawn,
  markHandedOver,
  markWinner,
  updateCompetition,
} from './competitions.queries.ts';
import type { CompetitionDrawsTable, CompetitionEntriesTable, CompetitionsTable } from './competitions.tables.ts';

/** How long a confirmation link works (never past the competition's end). */
export const CONFIRM_HOURS = 48;
/** Confirmed entries of a competition that was never drawn go this long after its end at the latest. */
const UNDRAWN_BACKSTOP_DAYS = 30;
export const DEFAULT_PRIZE_DAYS = 60;
export const CONFIRM_PATH = '/competitions/confirm';
export const WITHDRAW_PATH = '/competitions/withdraw';
const CONFIRM_PURPOSE = 'competition-confirm';
const WITHDRAW_PURPOSE = 'competition-withdraw';
/** The public reference of an entry's links: 16 random bytes, base64url. */
const LINK_REF = /^[A-Za-z0-9_-]{22}$/;

export type CompetitionState = 'upcoming' | 'open' | 'ended';

export function competitionState(c: Pick<CompetitionsTable, 'starts_at' | 'ends_at'>, now: number): CompetitionState {
  return now < c.starts_at ? 'upcoming' : now < c.ends_at ? 'open' : 'ended';
}

export function countriesOf(c: Pick<CompetitionsTable, 'countries'>): string[] {
  return JSON.parse(c.countries) as string[];
}

/** The conditions of participation shown with the form; their hash is the version stored with each entry. */
export function participationText(c: CompetitionsTable, lang: Lang): string {
  const days = String(c.prize_days);
  return tr(
    lang,
    {
      en: 'I take part under these conditions: my given name, surname, email address and country are used only to run this competition. The entry counts once I confirm my address by the link we email. Every entry has the same chance; the winners are drawn at random after the end. Entries that do not win are deleted at the draw; a winner’s details are kept for {days} days to hand over the prize, then deleted. I can withdraw my entry at any time.',
      de: 'Ich nehme zu diesen Bedingungen teil: Vorname, Nachname, E-Mail-Adresse und Land werden nur für dieses Gewinnspiel verwendet. Die Teilnahme zählt, sobald ich meine Adresse über den per E-Mail gesandten Link bestätige. Jede Teilnahme hat dieselbe Chance; die Gewinner werden nach dem Ende per Zufall ausgelost. Teilnahmen, die nicht gewinnen, werden bei der Auslosung gelöscht; die Angaben eines Gewinners werden {days} Tage zur Übergabe des Gewinns aufbewahrt und dann gelöscht. Ich kann meine Teilnahme jederzeit zurückziehen.',
    },
    { days },
  );
}

export function participationVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------------------------------
// Staff: create and edit

export interface CompetitionInput {
  slug?: string | undefined;
  titleEn?: string | undefined;
  titleDe?: string | undefined;
  textEn?: string | undefined;
  textDe?: string | undefined;
  prizeEn?: string | undefined;
  prizeDe?: string | undefined;
  /** `YYYY-MM-DDTHH:MM` in the operator's time zone. */
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  winners?: string | undefined;
  countries?: string[] | undefined;
  prizeDays?: string | undefined;
}

type Fields = Record<string, Text>;
const required: Text = { en: 'Please fill in this field.', de: 'Bitte füllen Sie dieses Feld aus.' };

/** The offset of a zone from UTC at an instant, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** `2026-12-01T18:00` on the zone's clock as an instant; undefined when malformed. */
export function parseLocalDateTime(value: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(wall).getUTCDate() !== d) return undefined;
  const guess = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(guess, timeZone);
}

/** An instant as the value of a datetime-local field on the zone's clock. */
export function localDateTimeValue(at: number, timeZone: string): string {
  return new Date(at + zoneOffset(at, timeZone)).toISOString().slice(0, 16);
}

function validCompetition(
  input: CompetitionInput,
  timeZone: string,
  sellsTo: readonly string[],
): Omit<CompetitionsTable, 'id' | 'created_at' | 'updated_at' | 'drawn_at'> {
  const fields: Fields = {};
  const text = (name: keyof CompetitionInput, max: number): string => {
    const value = String(input[name] ?? '').trim();
    if (!value) fields[name] = required;
    else if (value.length > max)
      fields[name] = { en: `Use at most ${max} characters.`, de: `Verwenden Sie höchstens ${max} Zeichen.` };
    return value;
  };
  const slug = String(input.slug ?? '').trim();
  if (!/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(slug))
    fields.slug = {
      en: 'Use 1 to 64 lower-case letters, digits and hyphens (not at the start or end).',
      de: 'Verwenden Sie 1 bis 64 Kleinbuchstaben, Ziffern und Bindestriche (nicht am Anfang oder Ende).',
    };
  const values = {
    titleEn: text('titleEn', 200),
    titleDe: text('titleDe', 200),
    textEn: text('textEn', 5000),
    textDe: text('textDe', 5000),
    prizeEn: text('prizeEn', 200),
    prizeDe: text('prizeDe', 200),
  };
  const badTime: Text = {
    en: 'Enter a date and time such as 2026-12-24T18:00.',
    de: 'Geben Sie Datum und Uhrzeit an, etwa 2026-12-24T18:00.',
  };
  const startsAt = parseLocalDateTime(String(input.startsAt ?? ''), timeZone);
  const endsAt = parseLocalDateTime(String(input.endsAt ?? ''), timeZone);
  if (startsAt === undefined) fields.startsAt = badTime;
  if (endsAt === undefined) fields.endsAt = badTime;
  else if (startsAt !== undefined && endsAt <= startsAt)
    fields.endsAt = { en: 'The end must come after the start.', de: 'Das Ende muss nach dem Beginn liegen.' };
  const winners = Number(input.winners);
  if (!/^\d{1,4}$/.test(String(input.winners ?? '').trim()) || winners < 1 || winners > 1000)
    fields.winners = { en: 'Enter a number from 1 to 1000.', de: 'Geben Sie eine Zahl von 1 bis 1000 an.' };
  const prizeDaysRaw = String(input.prizeDays ?? '').trim();
  const prizeDays = prizeDaysRaw === '' ? DEFAULT_PRIZE_DAYS : Number(prizeDaysRaw);
  if (!/^\d{0,3}$/.test(prizeDaysRaw) || prizeDays < 1 || prizeDays > 365)
    fields.prizeDays = { en: 'Enter a number of days from 1 to 365.', de: 'Geben Sie 1 bis 365 Tage an.' };
  const countries = [...new Set(input.countries ?? [])];
  if (countries.length === 0 || countries.some((c) => !sellsTo.includes(c)))
    fields.countries = {
      en: 'Choose at least one country from the list.',
      de: 'Wählen Sie mindestens ein Land aus der Liste.',
    };
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  return {
    slug,
    title_en: values.titleEn,
    title_de: values.titleDe,
    text_en: values.textEn,
    text_de: values.textDe,
    prize_en: values.prizeEn,
    prize_de: values.prizeDe,
    starts_at: startsAt as number,
    ends_at: endsAt as number,
    winners,
    countries: JSON.stringify(countries.sort()),
    prize_days: prizeDays,
  };
}

const slugTaken = () =>
  new AppError(
    409,
    'slug_taken',
    { en: 'Another competition has this address.', de: 'Ein anderes Gewinnspiel hat diese Adresse.' },
    { slug: { en: 'Choose another address.', de: 'Wählen Sie eine andere Adresse.' } },
  );

export async function createCompetition(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: CompetitionInput) {
  const { operator } = deps.config;
  const values = validCompetition(input, operator.timeZone, operator.sellsTo);
  if (await findCompetitionBySlug(deps.db, values.slug)) throw slugTaken();
  const now = deps.clock.now();
  const row: CompetitionsTable = { id: randomUUID(), ...values, created_at: now, updated_at: now, drawn_at: null };
  await insertCompetition(deps.db, row);
  return row;
}

const alreadyDrawn = () =>
  new AppError(409, 'competition_drawn', {
    en: 'The winners of this competition are drawn; it can no longer be changed.',
    de: 'Die Gewinner dieses Gewinnspiels sind ausgelost; es lässt sich nicht mehr ändern.',
  });

export async function editCompetition(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  id: string,
  input: CompetitionInput,
): Promise<void> {
  const existing = await findCompetitionById(deps.db, id);
  if (!existing) throw errors.notFound();
  if (existing.drawn_at !== null) throw alreadyDrawn();
  const { operator } = deps.config;
  const values = validCompetition(input, operator.timeZone, operator.sellsTo);
  const other = await findCompetitionBySlug(deps.db, values.slug);
  if (other && other.id !== id) throw slugTaken();
  await updateCompetition(deps.db, id, { ...values, updated_at: deps.clock.now() });
}

// ---------------------------------------------------------------------------------------------------------------
// Entering

export interface EntryInput {
  givenName?: string | undefined;
  surname?: string | undefined;
  email?: string | undefined;
  country?: string | undefined;
  /** The box under the conditions of participation. */
  accept?: boolean | undefined;
}

const EMAIL = /^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

export const notStarted = (c: Pick<CompetitionsTable, 'starts_at'>, timeZone: string) =>
  new AppError(409, 'competition_not_started', {
    en: `This competition starts on ${formatTime('en', c.starts_at, timeZone)}; entries are accepted from then.`,
    de: `Dieses Gewinnspiel beginnt am ${formatTime('de', c.starts_at, timeZone)}; erst dann ist eine Teilnahme möglich.`,
  });

export const ended = () =>
  new AppError(410, 'competition_ended', {
    en: 'This competition has ended; no more entries are accepted.',
    de: 'Dieses Gewinnspiel ist beendet; Teilnahmen sind nicht mehr möglich.',
  });

export async function findOpenCompetition(deps: Pick<Deps, 'db'>, slug: string): Promise<CompetitionsTable> {
  const c = await findCompetitionBySlug(deps.db, slug);
  if (!c) throw errors.notFound();
  return c;
}

/**
 * Records a pending entry and queues the confirmation mail, or does nothing when the address entered already (or
 * belongs to an account that had the activity restricted): the caller answers the same in every case.
 */
export async function enterCompetition(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  slug: string,
  input: EntryInput,
  lang: Lang,
): Promise<void> {
  const c = await findOpenCompetition(deps, slug);
  const now = deps.clock.now();
  const state = competitionState(c, now);
  if (state === 'upcoming') throw notStarted(c, deps.config.operator.timeZone);
  if (state === 'ended') throw ended();
  const fields: Fields = {};
  const givenName = String(input.givenName ?? '').trim();
  const surname = String(input.surname ?? '').trim();
  const email = normaliseEmail(String(input.email ?? ''));
  const country = String(input.country ?? '').trim();
  for (const [name, value] of [
    ['givenName', givenName],
    ['surname', surname],
  ] as const) {
    if (!value) fields[name] = required;
    else {
      const problem = nameProblem(value);
      if (problem) fields[name] = problem;
    }
  }
  if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email))
    fields.email = { en: 'Enter a valid email address.', de: 'Geben Sie eine gültige E-Mail-Adresse ein.' };
  if (!countriesOf(c).includes(country))
    fields.country = {
      en: 'Choose one of the countries this competition is open to.',
      de: 'Wählen Sie eines der Länder, für die dieses Gewinnspiel offen ist.',
    };
  if (input.accept !== true)
    fields.accept = {
      en: 'Please accept the conditions of participation.',
      de: 'Bitte akzeptieren Sie die Teilnahmebedingungen.',
    };
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);

  if (await findEntryByAddress(deps.db, c.id, email)) return;
  // An account holder who had the activity restricted: nothing new is stored for it while the restriction stands.
  const account = await findUserByEmail(deps.db, email);
  if (account && (await findObjection(deps.db, account.id, COMPETITION_ACTIVITY, 'restriction'))) return;

  const linkRef = randomBytes(16).toString('base64url');
  const deleteAfter = Math.min(now + CONFIRM_HOURS * HOUR, c.ends_at);
  const text = participationText(c, lang);
  const { secret, baseUrl, operator } = deps.config;
  await deps.db.transaction().execute(async (trx) => {
    // Two sign-ups of one address at the same moment: the unique index keeps one; the other answers the same.
    const inserted = await insertEntry(trx, {
      id: randomUUID(),
      competition_id: c.id,
      email,
      given_name: givenName,
      surname,
      country,
      lang,
      status: 'pending',
      link_ref: linkRef,
      terms_version: participationVersion(text),
      created_at: now,
      confirmed_at: null,
      won_position: null,
      handed_over_at: null,
      delete_after: deleteAfter,
    });
    if (!inserted) return;
    const link = (path: string, purpose: string) =>
      `${baseUrl}${path}?r=${linkRef}&t=${secretPlaceholder(secret, purpose, linkRef, email)}`;
    await enqueueMail(
      trx,
      deps.clock,
      confirmEntryMail(lang, {
        to: email,
        title: lang === 'de' ? c.title_de : c.title_en,
        confirmUrl: link(CONFIRM_PATH, CONFIRM_PURPOSE),
        withdrawUrl: link(WITHDRAW_PATH, WITHDRAW_PURPOSE),
        validUntil: formatTime(lang, deleteAfter, operator.timeZone),
      }),
    );
  });
}

/** The reference and token of a link, as kept in the link cookie (`ref` then `token`). */
export function splitKeptToken(kept: string): { r: string; t: string } {
  return { r: kept.slice(0, 22), t: kept.slice(22) };
}

function validLink(secret: string, purpose: string, r: string | undefined, t: string | undefined): r is string {
  return !!r && !!t && LINK_REF.test(r) && isDerivedSecret(secret, purpose, r, t);
}

export const isValidConfirmLink = (secret: string, r?: string, t?: string) => validLink(secret, CONFIRM_PURPOSE, r, t);
export const isValidWithdrawLink = (secret: string, r?: string, t?: string) =>
  validLink(secret, WITHDRAW_PURPOSE, r, t);

/** The entry a valid confirmation link names while it can still be confirmed; else the link's clear error. */
async function pendingEntryOf(deps: Pick<Deps, 'db' | 'clock'>, r: string) {
  const entry = await findEntryByLinkRef(deps.db, r);
  if (!entry) throw errors.badToken();
  const c = await findCompetitionById(deps.db, entry.competition_id);
  if (!c) throw errors.badToken();
  return { entry, competition: c };
}

/** What the confirmation page shows before the button: the competition, and whether it can still be confirmed. */
export async function confirmationOf(deps: Pick<Deps, 'db' | 'clock' | 'config'>, r: string, t: string) {
  if (!isValidConfirmLink(deps.config.secret, r, t)) throw errors.badToken();
  const { entry, competition } = await pendingEntryOf(deps, r);
  const now = deps.clock.now();
  if (entry.status === 'pending' && (now >= entry.delete_after || competitionState(competition, now) !== 'open'))
    throw errors.badToken();
  return { entry, competition };
}

/** The POST of the confirmation page: the entry counts from now on. Idempotent. */
export async function confirmCompetitionEntry(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  r: string,
  t: string,
): Promise<CompetitionsTable> {
  const { entry, competition } = await confirmationOf(deps, r, t);
  if (entry.status === 'pending')
    await confirmEntry(deps.db, entry.id, deps.clock.now(), competition.ends_at + UNDRAWN_BACKSTOP_DAYS * DAY);
  return competition;
}

/** The withdraw link's page: which competition (the entry may be gone already: then there is nothing to do). */
export async function withdrawalOf(deps: Pick<Deps, 'db' | 'config'>, r: string, t: string) {
  if (!isValidWithdrawLink(deps.config.secret, r, t)) throw errors.badToken();
  const entry = await findEntryByLinkRef(deps.db, r);
  return entry ? await findCompetitionById(deps.db, entry.competition_id) : undefined;
}

/** Deletes the entry the withdraw link names, at once, whatever its state (a winner's too). */
export async function withdrawCompetitionEntry(deps: Pick<Deps, 'db' | 'config'>, r: string, t: string) {
  if (!isValidWithdrawLink(deps.config.secret, r, t)) throw errors.badToken();
  const entry = await findEntryByLinkRef(deps.db, r);
  if (entry) await deleteEntry(deps.db, entry.id);
}

/** The account page's withdraw button: the entry must be the signed-in person's own. */
export async function withdrawOwnEntry(deps: Pick<Deps, 'db'>, email: string, linkRef: string): Promise<void> {
  const entry = LINK_REF.test(linkRef) ? await findEntryByLinkRef(deps.db, linkRef) : undefined;
  if (!entry || entry.email !== email) throw errors.notFound();
  await deleteEntry(deps.db, entry.id);
}

// ---------------------------------------------------------------------------------------------------------------
// The draw

const notEnded = () =>
  new AppError(409, 'competition_not_ended', {
    en: 'The winners can be drawn only after the competition has ended.',
    de: 'Die Gewinner können erst nach dem Ende des Gewinnspiels ausgelost werden.',
  });

/**
 * Draws the winners of an ended competition once: records seed and sorted entry hashes, marks the winners (kept
 * for the prize period) and deletes every other entry, all in one transaction. Null when it was drawn already.
 * Entries of addresses whose processing is restricted take no part and are not deleted by the draw: they stay,
 * unused, until the restriction is lifted (the sweep), the entry is withdrawn or erased, or their `delete_after`.
 */
export async function drawCompetition(
  deps: Pick<Deps, 'db' | 'clock'>,
  competitionId: string,
): Promise<CompetitionDrawsTable | null> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const c = await findCompetitionById(trx, competitionId);
    if (!c) throw errors.notFound();
    if (now < c.ends_at) throw notEnded();
    if (!(await markCompetitionDrawn(trx, c.id, now))) return null;
    const entries = await listConfirmedEntries(trx, c.id, COMPETITION_ACTIVITY);
    const byHash = new Map(entries.map((e) => [entryHash(e.id, e.email), e.id]));
    const hashes = [...byHash.keys()].sort();
    const seed = randomBytes(32).toString('hex');
    const result = drawWinners(seed, hashes, c.winners);
    const draw: CompetitionDrawsTable = {
      id: randomUUID(),
      competition_id: c.id,
      drawn_at: now,
      seed,
      entry_hashes: JSON.stringify(hashes),
      winners_wanted: c.winners,
      winner_hashes: JSON.stringify(result.hashes),
      algorithm: DRAW_ALGORITHM,
    };
    await insertDraw(trx, draw);
    for (const [i, hash] of result.hashes.entries())
      await markWinner(trx, byHash.get(hash) as string, i + 1, now + c.prize_days * DAY);
    await deleteNonWinningEntries(trx, c.id, COMPETITION_ACTIVITY);
    return draw;
  });
}

/** The job: draws every ended competition, and sweeps entries left in drawn ones (but restricted ones). */
export async function drawEndedCompetitions(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  let drawn = 0;
  for (const id of await listEndedUndrawnCompetitionIds(deps.db, deps.clock.now()))
    if (await drawCompetition(deps, id)) drawn++;
  await deleteNonWinningEntriesOfDrawn(deps.db, COMPETITION_ACTIVITY);
  return drawn;
}

export async function handOverPrize(deps: Pick<Deps, 'db' | 'clock'>, competitionId: string, entryId: string) {
  if (!(await markHandedOver(deps.db, competitionId, entryId, deps.clock.now()))) throw errors.notFound();
}

export async function winnersOf(deps: Pick<Deps, 'db'>, competitionId: string): Promise<CompetitionEntriesTable[]> {
  return listWinners(deps.db, competitionId);
}

export interface DrawCheck extends DrawVerification {
  draw: CompetitionDrawsTable;
}

/** Re-runs the recorded draw of a competition from the record alone; null when there is no competition or draw. */
export async function verifyDrawBySlug(deps: { db: Kysely<Database> }, slug: string): Promise<DrawCheck | null> {
  const c = await findCompetitionBySlug(deps.db, slug);
  const draw = c ? await findDrawOfCompetition(deps.db, c.id) : undefined;
  if (!draw) return null;
  const parse = (json: string): string[] => {
    try {
      const value: unknown = JSON.parse(json);
      return Array.isArray(value) ? value.map(String) : [];
    } catch {
      return [];
    }
  };
  const verification = verifyDraw({
    seed: draw.seed,
    entryHashes: parse(draw.entry_hashes),
    winnersWanted: draw.winners_wanted,
    winnerHashes: parse(draw.winner_hashes),
    algorithm: draw.algorithm,
  });
  return { ...verification, draw };
}

export { findDrawOfCompetition };
