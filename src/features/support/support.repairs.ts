// Repairs of registered hardware (issue 14, point 5): a signed-in customer picks a unit registered to them, describes
// the fault and gives a return address (asked only here). That opens a ticket in the category 'repair' (a business
// letter) with its repair row, and hands the address to the repair workshop and the delivery company through the
// disclosure gate (only the fields the data map declares for each), all in one transaction. Staff move the repair
// through its states; closing it starts the address's deletion period (support.clear-repair-addresses).
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { disclose } from '../../privacy/disclosures/index.ts';
import { REPAIR_ACTIVITY } from './support.data-map.ts';
import {
  findHeldRegistration,
  findRepair,
  findRepairOfTicket,
  insertRepair,
  updateRepairState,
} from './support.repairs.queries.ts';
import { openTicket } from './support.service.ts';
import type { RepairState, SupportRepairsTable } from './support.tables.ts';

export const REPAIR_STATES: readonly RepairState[] = ['requested', 'received', 'repaired', 'returned', 'closed'];

export const repairStateText: Record<RepairState, Text> = {
  requested: { en: 'requested', de: 'angefragt' },
  received: { en: 'received by us', de: 'bei uns eingegangen' },
  repaired: { en: 'repaired', de: 'repariert' },
  returned: { en: 'sent back to you', de: 'an Sie zurückgeschickt' },
  closed: { en: 'closed', de: 'abgeschlossen' },
};

export interface RepairInput {
  registrationId: string;
  fault: string;
  name: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
}

export const REPAIR_FIELDS = ['registrationId', 'fault', 'name', 'line1', 'line2', 'postalCode', 'city', 'country'];

const LIMITS: Record<keyof RepairInput, { min: number; max: number }> = {
  registrationId: { min: 1, max: 64 },
  fault: { min: 3, max: 4000 },
  name: { min: 1, max: 100 },
  line1: { min: 1, max: 100 },
  line2: { min: 0, max: 100 },
  postalCode: { min: 2, max: 12 },
  city: { min: 1, max: 60 },
  country: { min: 2, max: 60 },
};

const problems: Record<keyof RepairInput, Text> = {
  registrationId: {
    en: 'Please choose one of the units registered to your account.',
    de: 'Bitte wählen Sie eines der in Ihrem Konto registrierten Geräte.',
  },
  fault: {
    en: 'Please describe the fault (3 to 4000 characters).',
    de: 'Bitte beschreiben Sie den Fehler (3 bis 4000 Zeichen).',
  },
  name: { en: 'Please enter the name for the return.', de: 'Bitte geben Sie den Namen für die Rücksendung an.' },
  line1: { en: 'Please enter street and house number.', de: 'Bitte geben Sie Straße und Hausnummer an.' },
  line2: { en: 'The second line has at most 100 characters.', de: 'Die zweite Zeile hat höchstens 100 Zeichen.' },
  postalCode: { en: 'Please enter the postal code.', de: 'Bitte geben Sie die Postleitzahl an.' },
  city: { en: 'Please enter the city.', de: 'Bitte geben Sie den Ort an.' },
  country: { en: 'Please enter the country.', de: 'Bitte geben Sie das Land an.' },
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The form's problems by field (empty: fine). Line breaks are allowed only in the fault. */
export function checkRepairInput(input: RepairInput): Record<string, Text> {
  const found: Record<string, Text> = {};
  for (const key of Object.keys(LIMITS) as (keyof RepairInput)[]) {
    const value = input[key].trim();
    const { min, max } = LIMITS[key];
    const badChars = CONTROL.test(value) || (key !== 'fault' && /[\r\n]/.test(value));
    if (value.length < min || value.length > max || badChars) found[key] = problems[key];
  }
  return found;
}

export class RepairRefused extends Error {
  constructor(readonly fields: Record<string, Text>) {
    super('repair refused');
  }
}

/**
 * Opens a repair: the ticket (category 'repair'), its repair row and the two hand-offs, in one transaction. Throws
 * RepairRefused (nothing changed) when the input is bad or the unit is not registered to this account.
 */
export async function requestRepair(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log' | 'dataMap'>,
  userId: string,
  lang: Lang,
  raw: RepairInput,
): Promise<{ ticketId: string; repairId: string; ref: string }> {
  const fields = checkRepairInput(raw);
  if (Object.keys(fields).length > 0) throw new RepairRefused(fields);
  const unit = await findHeldRegistration(deps.db, userId, raw.registrationId.trim());
  if (!unit) throw new RepairRefused({ registrationId: problems.registrationId });
  const input: RepairInput = {
    registrationId: unit.id,
    fault: raw.fault.trim(),
    name: raw.name.trim(),
    line1: raw.line1.trim(),
    line2: raw.line2.trim(),
    postalCode: raw.postalCode.trim(),
    city: raw.city.trim(),
    country: raw.country.trim(),
  };
  const repairId = randomUUID();
  const address = {
    name: input.name,
    line1: input.line1,
    line2: input.line2 || undefined,
    postalCode: input.postalCode,
    city: input.city,
    country: input.country,
  };
  const opened = await openTicket(deps, {
    requester: userId,
    subject: lang === 'de' ? `Reparatur ${unit.serial}` : `Repair ${unit.serial}`,
    body: input.fault,
    lang,
    source: 'account',
    category: 'repair',
    productId: unit.product_id,
    within: async (trx, ticket) => {
      const now = deps.clock.now();
      await insertRepair(trx, {
        id: repairId,
        ticket_id: ticket.id,
        requester: userId,
        registration_id: unit.id,
        serial: unit.serial,
        product_id: unit.product_id,
        fault: input.fault,
        state: 'requested',
        address_name: address.name,
        address_line1: address.line1,
        address_line2: address.line2 ?? null,
        postal_code: address.postalCode,
        city: address.city,
        country: address.country,
        created_at: now,
        closed_at: null,
        kept_reason: 'business-letter',
        restricted_at: null,
      });
      // Whole objects go in; the gate keeps only what the data map declares for each recipient.
      const repair = { repairRef: ticket.ref, ...address, serial: unit.serial, fault: input.fault };
      await disclose(deps, trx, { activity: REPAIR_ACTIVITY, recipient: 'repair-workshop', userId, payload: repair });
      await disclose(deps, trx, { activity: REPAIR_ACTIVITY, recipient: 'delivery-company', userId, payload: repair });
    },
  });
  return { ticketId: opened.id, repairId, ref: opened.ref };
}

/** Staff move a repair to a state; closing sets `closed_at` (the address's period starts), reopening clears it. */
export async function setRepairState(
  deps: Pick<Deps, 'db' | 'clock'>,
  repairId: string,
  state: RepairState,
): Promise<boolean> {
  const repair = await findRepair(deps.db, repairId);
  if (!repair || repair.restricted_at !== null) return false;
  const closedAt = state === 'closed' ? (repair.closed_at ?? deps.clock.now()) : null;
  await updateRepairState(deps.db, repair.id, state, closedAt);
  return true;
}

export interface RepairSummary {
  id: string;
  state: RepairState;
  stateText: Text;
  serial: string;
  href: string;
}

/** The repair of a ticket, for a line on the ticket's page (H2/H3): its state and a link to its page. */
export async function repairSummary(deps: Pick<Deps, 'db'>, ticketId: string): Promise<RepairSummary | undefined> {
  const repair: SupportRepairsTable | undefined = await findRepairOfTicket(deps.db, ticketId);
  if (!repair) return undefined;
  return {
    id: repair.id,
    state: repair.state,
    stateText: repairStateText[repair.state],
    serial: repair.serial,
    href: `/account/support/repairs/${repair.id}`,
  };
}
