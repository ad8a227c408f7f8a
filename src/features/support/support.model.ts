// What a customer saves about their setup (policy 4b: "for resubmission"), and how it is checked. The same shape is
// frozen into a ticket when attached, so staff see the version the customer attached, whatever changed later.
import { Type, type Static } from 'typebox';

const field = (max: number) => Type.String({ maxLength: max });

export const SystemProfileSchema = Type.Object(
  {
    os: field(80),
    osVersion: field(80),
    host: field(80),
    hostVersion: field(80),
    audioInterface: field(120),
    /** Free text: "Reverb Pro 2.3.1, Drum Forge 1.0". */
    productVersions: field(1000),
    /** Serial numbers picked from the customer's own registered units (checked against them on save). */
    serials: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }),
  },
  { additionalProperties: false },
);

export type SystemProfile = Static<typeof SystemProfileSchema>;

export const emptyProfile: SystemProfile = {
  os: '',
  osVersion: '',
  host: '',
  hostVersion: '',
  audioInterface: '',
  productVersions: '',
  serials: [],
};

/** A stored profile (JSON) read back; anything unreadable counts as empty rather than failing a page. */
export function parseProfile(json: string | null): SystemProfile | null {
  if (json === null) return null;
  try {
    const raw = JSON.parse(json) as Partial<SystemProfile>;
    return {
      os: String(raw.os ?? ''),
      osVersion: String(raw.osVersion ?? ''),
      host: String(raw.host ?? ''),
      hostVersion: String(raw.hostVersion ?? ''),
      audioInterface: String(raw.audioInterface ?? ''),
      productVersions: String(raw.productVersions ?? ''),
      serials: Array.isArray(raw.serials) ? raw.serials.map(String) : [],
    };
  } catch {
    return null;
  }
}

/** Limits of a ticket's text (the contact form, the account, the API and inbound mail share them). */
export const LIMITS = { subject: 200, body: 20_000, name: 120, attachmentsPerMessage: 5 } as const;
