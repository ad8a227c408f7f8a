// Contact and support (policy 4a, 4b; issue 14). A guest's message (contact form or mail) and a customer's helpdesk
// ticket are two activities over the same tables, told apart by the ticket's `source`. Rows link to their person by
// `requester` (the account id, or a guest's normalised address: the link 'user-id-or-email').
// Erasure deletes a person's tickets at once, except those kept as business letters or for a legal claim, which stay
// restricted until their `delete_after`.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { ColumnClass, DataMapPart, Text } from '../../privacy/data-map.ts';
import { listOpenKeptTicketsOf, updateTicket } from './support.queries.ts';
import { deleteAfterOf } from './support.service.ts';

export const CONTACT_ACTIVITY = 'support.contact';
export const HELPDESK_ACTIVITY = 'support.helpdesk';
export const PROFILE_ACTIVITY = 'support.system-profiles';
export const REPAIR_ACTIVITY = 'support.repairs';

const keptTicket = (letterYears: number): { until: Text; basis: Text } => ({
  until: {
    en: `a ticket about an order, a repair or a warranty claim: ${letterYears} years from the end of the calendar year it was closed; a ticket we need for a legal claim: until the claim is settled, at the latest on the date we recorded`,
    de: `ein Ticket zu einer Bestellung, einer Reparatur oder einem Gewährleistungsfall: ${letterYears} Jahre ab Ende des Kalenderjahres, in dem es geschlossen wurde; ein Ticket, das wir für einen Rechtsanspruch brauchen: bis der Anspruch erledigt ist, spätestens zum festgehaltenen Datum`,
  },
  basis: {
    en: 'a ticket about an order, a repair or a warranty is a business letter (§ 257(1) no. 2 and (4) HGB); a ticket needed to establish, exercise or defend a legal claim is kept under Art. 17(3)(e) GDPR',
    de: 'ein Ticket zu einer Bestellung, Reparatur oder Gewährleistung ist ein Handelsbrief (§ 257 Abs. 1 Nr. 2, Abs. 4 HGB); ein Ticket, das zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen nötig ist, wird nach Art. 17 Abs. 3 lit. e DSGVO aufbewahrt',
  },
});

/** The FTS5 table over support_search and its shadow tables (SQLite only). */
const ftsTables: { table: string; columns: Record<string, ColumnClass> }[] = [
  { table: 'support_search_fts', columns: { subject: 'communication', body: 'communication' } },
  { table: 'support_search_fts_data', columns: { id: 'not-personal', block: 'communication' } },
  { table: 'support_search_fts_idx', columns: { segid: 'not-personal', term: 'communication', pgno: 'not-personal' } },
  { table: 'support_search_fts_docsize', columns: { id: 'not-personal', sz: 'not-personal' } },
  { table: 'support_search_fts_config', columns: { k: 'not-personal', v: 'not-personal' } },
];

export function supportDataMap(periods: {
  ticketDays: number;
  repairAddressDays: number;
  letterYears: number;
}): DataMapPart {
  const kept = keptTicket(periods.letterYears);
  return {
    activities: [
      {
        id: CONTACT_ACTIVITY,
        name: { en: 'Contact by email or form', de: 'Kontakt per E-Mail oder Formular' },
        purpose: {
          en: `Answering your message when you write to us through the contact form or by email: we use your name, your address and what you wrote to handle your request and to reply. Tickets are deleted ${periods.ticketDays} days after they are closed; one about an order, a repair or a warranty claim is a business letter and is kept ${periods.letterYears} years from the end of the calendar year it was closed (§ 257 HGB).`,
          de: `Beantwortung Ihrer Nachricht, wenn Sie uns über das Kontaktformular oder per E-Mail schreiben: Wir verwenden Ihren Namen, Ihre Adresse und Ihre Nachricht, um Ihr Anliegen zu bearbeiten und zu antworten. Tickets werden ${periods.ticketDays} Tage nach ihrem Abschluss gelöscht; eines zu einer Bestellung, einer Reparatur oder einem Gewährleistungsfall ist ein Handelsbrief und wird ${periods.letterYears} Jahre ab Ende des Kalenderjahres seines Abschlusses aufbewahrt (§ 257 HGB).`,
        },
        legalBasis: 'legitimate-interests',
        basisDetail: {
          en: 'Our legitimate interest is answering the questions people send us; where your message is about a contract with us or one you want to enter, the basis is that contract (Art. 6(1)(b) GDPR).',
          de: 'Unser berechtigtes Interesse ist, die Fragen zu beantworten, die man uns schickt; betrifft Ihre Nachricht einen Vertrag mit uns oder dessen Anbahnung, ist dieser Vertrag die Grundlage (Art. 6 Abs. 1 lit. b DSGVO).',
        },
        subjects: { en: 'people who write to us', de: 'Personen, die uns schreiben' },
        recipients: [],
        requirement: {
          required: {
            en: 'Writing to us is voluntary; we need an email address to be able to answer.',
            de: 'Uns zu schreiben ist freiwillig; ohne E-Mail-Adresse können wir nicht antworten.',
          },
          without: {
            en: 'Without an address we cannot answer your message.',
            de: 'Ohne Adresse können wir Ihre Nachricht nicht beantworten.',
          },
        },
        uses: [{ table: 'outbox', columns: ['recipient', 'subject', 'body', 'headers'] }],
      },
      {
        id: HELPDESK_ACTIVITY,
        name: { en: 'Helpdesk for customers', de: 'Helpdesk für Kunden' },
        purpose: {
          en: `Handling the support requests you open in your account: your messages and ours, the files you attach, the product and the order they are about, and the system details you choose to attach. Tickets are deleted ${periods.ticketDays} days after they are closed.`,
          de: `Bearbeitung der Supportanfragen, die Sie in Ihrem Kundenkonto stellen: Ihre und unsere Nachrichten, die Dateien, die Sie anhängen, das Produkt und die Bestellung, um die es geht, und die Systemangaben, die Sie anhängen. Tickets werden ${periods.ticketDays} Tage nach ihrem Abschluss gelöscht.`,
        },
        legalBasis: 'contract',
        basisDetail: {
          en: 'Support for the products you bought is part of our contract with you.',
          de: 'Die Unterstützung bei den gekauften Produkten ist Teil unseres Vertrags mit Ihnen.',
        },
        subjects: { en: 'registered customers', de: 'registrierte Kunden' },
        recipients: [],
        requirement: {
          required: {
            en: 'Using the helpdesk is voluntary; it needs an account.',
            de: 'Die Nutzung des Helpdesks ist freiwillig; sie setzt ein Kundenkonto voraus.',
          },
          without: {
            en: 'Without it you can still write to us by email or through the contact form.',
            de: 'Ohne Helpdesk können Sie uns weiterhin per E-Mail oder über das Kontaktformular schreiben.',
          },
        },
        uses: [
          { table: 'users', columns: ['id', 'name', 'email', 'lang'] },
          { table: 'orders', columns: ['id', 'user_id', 'lines', 'status'] },
          { table: 'outbox', columns: ['recipient', 'subject', 'body', 'headers'] },
        ],
      },
      {
        id: PROFILE_ACTIVITY,
        name: { en: 'Saved system profile', de: 'Gespeichertes Systemprofil' },
        purpose: {
          en: 'Keeping the details of your setup that you save in your account, so that you can attach them to a support request in one click and we can help you faster the next time. You can change or delete them at any time.',
          de: 'Speicherung der Angaben zu Ihrem System, die Sie in Ihrem Kundenkonto hinterlegen, damit Sie sie mit einem Klick an eine Supportanfrage hängen können und wir Ihnen beim nächsten Mal schneller helfen. Sie können sie jederzeit ändern oder löschen.',
        },
        legalBasis: 'contract',
        basisDetail: {
          en: 'The profile is a function of your account that you choose to use.',
          de: 'Das Profil ist eine Funktion Ihres Kundenkontos, die Sie nutzen können, aber nicht müssen.',
        },
        subjects: {
          en: 'registered customers who save a profile',
          de: 'registrierte Kunden, die ein Profil speichern',
        },
        recipients: [],
        requirement: {
          required: { en: 'Saving a profile is voluntary.', de: 'Ein Profil zu speichern ist freiwillig.' },
          without: {
            en: 'Without it you describe your setup in each request.',
            de: 'Ohne Profil beschreiben Sie Ihr System in jeder Anfrage.',
          },
        },
        uses: [{ table: 'hardware_registrations', columns: ['id', 'user_id', 'serial', 'product_id'] }],
      },
      {
        id: REPAIR_ACTIVITY,
        name: { en: 'Repairs', de: 'Reparaturen' },
        purpose: {
          en: `Repairing a registered hardware unit you send us and returning it: we ask for your postal address only for a repair, hand it to the repair workshop and the delivery company, and delete it ${periods.repairAddressDays} days after the repair is closed.`,
          de: `Reparatur eines registrierten Geräts, das Sie uns schicken, und Rücksendung: Wir fragen Ihre Postanschrift nur für eine Reparatur ab, geben sie an die Reparaturwerkstatt und das Versandunternehmen weiter und löschen sie ${periods.repairAddressDays} Tage nach Abschluss der Reparatur.`,
        },
        legalBasis: 'contract',
        basisDetail: {
          en: 'A repair under warranty or on your order is a contract with you.',
          de: 'Eine Reparatur im Rahmen der Gewährleistung oder in Ihrem Auftrag ist ein Vertrag mit Ihnen.',
        },
        subjects: { en: 'customers who send a unit for repair', de: 'Kunden, die ein Gerät zur Reparatur einsenden' },
        // Hand-offs through the disclosure gate (privacy/disclosures, disclose(); support.repairs.ts).
        recipients: [
          {
            id: 'repair-workshop',
            name: { en: 'the repair workshop', de: 'die Reparaturwerkstatt' },
            role: 'processor',
            fields: {
              name: { category: 'identity', label: { en: 'name for the return', de: 'Name für die Rücksendung' } },
              line1: { category: 'address', label: { en: 'address line', de: 'Adresszeile' } },
              line2: { category: 'address', label: { en: 'second address line', de: 'zweite Adresszeile' } },
              postalCode: { category: 'address', label: { en: 'postal code', de: 'Postleitzahl' } },
              city: { category: 'address', label: { en: 'city', de: 'Ort' } },
              country: { category: 'address', label: { en: 'country', de: 'Land' } },
              serial: {
                category: 'product-identifier',
                label: { en: 'serial number of the unit', de: 'Seriennummer des Geräts' },
              },
              fault: {
                category: 'communication',
                label: { en: 'the fault as described', de: 'der beschriebene Fehler' },
              },
            },
          },
          {
            // The same company and role as for orders (orders.data-map.ts): it carries the parcel under its own contract.
            id: 'delivery-company',
            name: { en: 'the delivery company (hardware only)', de: 'das Versandunternehmen (nur Hardware)' },
            role: 'independent-controller',
            fields: {
              name: { category: 'identity', label: { en: 'name of the recipient', de: 'Name des Empfängers' } },
              line1: { category: 'address', label: { en: 'address line', de: 'Adresszeile' } },
              line2: { category: 'address', label: { en: 'second address line', de: 'zweite Adresszeile' } },
              postalCode: { category: 'address', label: { en: 'postal code', de: 'Postleitzahl' } },
              city: { category: 'address', label: { en: 'city', de: 'Ort' } },
              country: { category: 'address', label: { en: 'country', de: 'Land' } },
            },
          },
        ],
        requirement: {
          required: {
            en: 'We need your postal address to return the repaired unit.',
            de: 'Wir brauchen Ihre Postanschrift, um das reparierte Gerät zurückzuschicken.',
          },
          without: {
            en: 'Without it we cannot return the unit.',
            de: 'Ohne sie können wir das Gerät nicht zurückschicken.',
          },
        },
        uses: [{ table: 'hardware_registrations', columns: ['id', 'user_id', 'serial', 'product_id'] }],
      },
    ],
    tables: [
      {
        table: 'support_tickets',
        activity: HELPDESK_ACTIVITY,
        rowActivity: { column: 'source', activities: { 'contact-form': CONTACT_ACTIVITY, email: CONTACT_ACTIVITY } },
        subject: { via: 'user-id-or-email', column: 'requester' },
        columns: {
          id: 'not-personal',
          ref: 'online-identifier',
          requester: 'contact',
          requester_name: 'identity',
          subject: 'communication',
          state: 'not-personal',
          category: 'not-personal',
          product_id: 'purchases',
          order_id: 'purchases',
          assignee_id: 'not-personal',
          lang: 'language',
          source: 'not-personal',
          profile_snapshot: 'system-profile',
          merged_into: 'not-personal',
          created_at: 'usage',
          updated_at: 'usage',
          solved_at: 'usage',
          closed_at: 'usage',
          kept_reason: 'not-personal',
          kept_note: 'communication',
          delete_after: 'not-personal',
          restricted_at: 'not-personal',
        },
        erasure: { action: 'delete-unless-kept', keptColumn: 'kept_reason', restrictColumn: 'restricted_at', ...kept },
        retention: [
          {
            id: 'support.delete-tickets',
            what: {
              en: 'Support tickets with their messages, attachments and repairs',
              de: 'Supporttickets mit ihren Nachrichten, Anhängen und Reparaturen',
            },
            after: { days: 0 },
            from: 'delete_after',
            fromEvent: {
              en: `the end of the ticket’s period: ${periods.ticketDays} days after it was closed; for a ticket about an order, a repair or a warranty ${periods.letterYears} years from the end of the calendar year it was closed; for one held for a legal claim the date recorded with the hold`,
              de: `dem Ende der Frist des Tickets: ${periods.ticketDays} Tage nach seinem Abschluss; bei einem Ticket zu einer Bestellung, Reparatur oder Gewährleistung ${periods.letterYears} Jahre ab Ende des Kalenderjahres seines Abschlusses; bei einem für einen Rechtsanspruch zurückgehaltenen das dabei festgehaltene Datum`,
            },
            basis: {
              en: 'a closed request is rarely taken up again after that long; business letters are kept as § 257 HGB requires',
              de: 'eine abgeschlossene Anfrage wird nach so langer Zeit kaum wieder aufgenommen; Handelsbriefe werden so lange aufbewahrt, wie § 257 HGB es verlangt',
            },
            action: { kind: 'delete' },
          },
        ],
        keptUntil: {
          en: 'An open ticket is kept while it is being handled; once closed, it is deleted at the end of its period.',
          de: 'Ein offenes Ticket wird gespeichert, solange es bearbeitet wird; nach dem Abschluss wird es am Ende seiner Frist gelöscht.',
        },
      },
      {
        table: 'support_messages',
        refersTo: ['support_tickets'],
        activity: HELPDESK_ACTIVITY,
        subject: { via: 'user-id-or-email', column: 'requester' },
        columns: {
          id: 'not-personal',
          ticket_id: 'not-personal',
          requester: 'contact',
          author: 'not-personal',
          staff_id: 'not-personal',
          body: 'communication',
          via: 'not-personal',
          mail_message_id: 'online-identifier',
          created_at: 'usage',
          kept_reason: 'not-personal',
          restricted_at: 'not-personal',
        },
        erasure: { action: 'delete-unless-kept', keptColumn: 'kept_reason', restrictColumn: 'restricted_at', ...kept },
        retention: [],
        keptUntil: {
          en: 'A message is deleted with its ticket.',
          de: 'Eine Nachricht wird mit ihrem Ticket gelöscht.',
        },
      },
      {
        table: 'support_attachments',
        refersTo: ['support_tickets', 'support_messages'],
        activity: HELPDESK_ACTIVITY,
        subject: { via: 'user-id-or-email', column: 'requester' },
        columns: {
          id: 'not-personal',
          ticket_id: 'not-personal',
          message_id: 'not-personal',
          requester: 'contact',
          file_name: 'communication',
          content_type: 'not-personal',
          size: 'not-personal',
          created_at: 'usage',
          kept_reason: 'not-personal',
          restricted_at: 'not-personal',
        },
        erasure: { action: 'delete-unless-kept', keptColumn: 'kept_reason', restrictColumn: 'restricted_at', ...kept },
        retention: [],
        keptUntil: {
          en: 'An attachment is deleted with its ticket.',
          de: 'Ein Anhang wird mit seinem Ticket gelöscht.',
        },
      },
      {
        table: 'support_profiles',
        activity: PROFILE_ACTIVITY,
        subject: { via: 'user-id', column: 'user_id' },
        columns: { user_id: 'account', profile: 'system-profile', updated_at: 'usage' },
        erasure: { action: 'delete' },
        retention: [],
        keptUntil: {
          en: 'Your system profile is kept until you delete it in your account or ask us to erase your data.',
          de: 'Ihr Systemprofil wird gespeichert, bis Sie es im Kundenkonto löschen oder die Löschung Ihrer Daten verlangen.',
        },
      },
      {
        table: 'support_repairs',
        refersTo: ['support_tickets'],
        activity: REPAIR_ACTIVITY,
        subject: { via: 'user-id-or-email', column: 'requester' },
        columns: {
          id: 'not-personal',
          ticket_id: 'not-personal',
          requester: 'contact',
          registration_id: 'not-personal',
          serial: 'product-identifier',
          product_id: 'purchases',
          fault: 'communication',
          state: 'not-personal',
          address_name: 'address',
          address_line1: 'address',
          address_line2: 'address',
          postal_code: 'address',
          city: 'address',
          country: 'address',
          created_at: 'usage',
          closed_at: 'usage',
          kept_reason: 'not-personal',
          restricted_at: 'not-personal',
        },
        erasure: { action: 'delete-unless-kept', keptColumn: 'kept_reason', restrictColumn: 'restricted_at', ...kept },
        retention: [
          {
            id: 'support.clear-repair-addresses',
            what: {
              en: 'Postal addresses given for repairs',
              de: 'Die für Reparaturen angegebenen Postanschriften',
            },
            after: { days: periods.repairAddressDays },
            from: 'closed_at',
            fromEvent: { en: 'the repair being closed', de: 'dem Abschluss der Reparatur' },
            basis: {
              en: 'the address is needed only to return the unit and to follow up its delivery',
              de: 'die Anschrift wird nur für die Rücksendung und deren Nachverfolgung gebraucht',
            },
            action: {
              kind: 'clear',
              columns: ['address_name', 'address_line1', 'address_line2', 'postal_code', 'city', 'country'],
            },
          },
        ],
        keptUntil: {
          en: 'The rest of a repair record is deleted with its ticket.',
          de: 'Der Rest eines Reparaturvorgangs wird mit seinem Ticket gelöscht.',
        },
      },
      {
        // The staff console's search index (migrations/002-search.ts): one row per ticket, its subject and all its
        // message texts lower-cased; rewritten when the ticket gets a message, gone with it (foreign key, cascade).
        table: 'support_search',
        refersTo: ['support_tickets'],
        activity: HELPDESK_ACTIVITY,
        subject: { via: 'user-id-or-email', column: 'requester' },
        columns: {
          id: 'not-personal',
          ticket_id: 'not-personal',
          requester: 'contact',
          subject: 'communication',
          body: 'communication',
          // PostgreSQL only: the words of subject and body as a tsvector (generated, for the GIN index).
          doc: 'communication',
        },
        // A kept (restricted) ticket is no longer searched for: its index row goes at once.
        erasure: { action: 'delete' },
        retention: [],
        keptUntil: {
          en: 'The search index of a ticket is deleted with the ticket.',
          de: 'Der Suchindex eines Tickets wird mit dem Ticket gelöscht.',
        },
      },
      ...ftsTables.map((t) => ({
        // SQLite only: the FTS5 full-text index over support_search and its storage, kept in step by triggers.
        table: t.table,
        onlyOn: 'sqlite' as const,
        activity: HELPDESK_ACTIVITY,
        subject: null,
        unlinkedBecause: {
          en: 'the full-text index of the support search: it holds the words of support_search rows and changes only with them (secure-delete)',
          de: 'der Volltextindex der Support-Suche: er enthält die Wörter der Zeilen von support_search und ändert sich nur mit ihnen (secure-delete)',
        },
        columns: t.columns,
        erasure: null,
        retention: [],
        keptUntil: {
          en: 'The words of a ticket leave the full-text index when the ticket is deleted.',
          de: 'Die Wörter eines Tickets verlassen den Volltextindex, wenn das Ticket gelöscht wird.',
        },
      })),
      {
        table: 'support_canned_replies',
        activity: HELPDESK_ACTIVITY,
        subject: null,
        columns: {
          id: 'not-personal',
          title_en: 'not-personal',
          title_de: 'not-personal',
          body_en: 'not-personal',
          body_de: 'not-personal',
          created_at: 'not-personal',
          updated_at: 'not-personal',
        },
        erasure: null,
        retention: [],
      },
    ],
    // A kept ticket of an erased person is over: it is closed now, so that its period (the letter period, or the
    // hold's date) runs and retention deletes it; an open one would otherwise stay restricted with no end.
    onErasure: async ({ db, now }, keys) => {
      const trx = db as Kysely<Database>;
      const config = { retention: { supportTicketDays: periods.ticketDays, letterYears: periods.letterYears } };
      for (const ticket of await listOpenKeptTicketsOf(
        trx,
        keys.email === null ? keys.userIds : [...keys.userIds, keys.email],
      )) {
        const closed = { ...ticket, closed_at: now };
        await updateTicket(trx, ticket.id, {
          state: 'closed',
          closed_at: now,
          solved_at: null,
          delete_after: deleteAfterOf({ config }, closed),
        });
      }
    },
    files: [
      {
        // DATA_DIR/support-attachments/<attachment id>: outside the web root, served only to those allowed.
        id: 'support.attachment-files',
        directory: 'support-attachments',
        names: /^([0-9a-f-]{36})$/,
        activity: HELPDESK_ACTIVITY,
        contents: ['communication'],
        subject: { table: 'support_attachments', keyColumn: 'id' },
        erasure: { action: 'delete' },
        // A file goes with its row (retention of the ticket, erasure); this rule is only the outer bound.
        retention: [
          {
            id: 'support.delete-attachment-files',
            what: { en: 'Files attached to support tickets', de: 'An Supporttickets angehängte Dateien' },
            after: { years: 10, fromEndOfYear: true },
            fromEvent: { en: 'their upload', de: 'ihrem Hochladen' },
            basis: {
              en: 'a file goes with its ticket; no ticket is kept longer, since a hold for a legal claim ends within ten years',
              de: 'eine Datei wird mit ihrem Ticket gelöscht; kein Ticket wird länger aufbewahrt, da eine Zurückhaltung für einen Rechtsanspruch binnen zehn Jahren endet',
            },
          },
        ],
      },
      {
        // DATA_DIR/inbox/*.eml: mail the operator's mail server delivers to a folder; read and deleted within seconds.
        id: 'support.inbox-files',
        directory: 'inbox',
        names: /^[^/]+\.eml$/,
        activity: CONTACT_ACTIVITY,
        contents: ['contact', 'identity', 'communication'],
        subject: null,
        unlinkedBecause: {
          en: 'an incoming email waits here only until it is read into its ticket, seconds after it arrives',
          de: 'eine eingehende E-Mail liegt hier nur, bis sie in ihr Ticket übernommen ist, Sekunden nach dem Eingang',
        },
        erasure: null,
        retention: [
          {
            id: 'support.delete-inbox-files',
            what: {
              en: 'Incoming emails not read into a ticket',
              de: 'Nicht in ein Ticket übernommene eingehende E-Mails',
            },
            after: { days: 1 },
            fromEvent: { en: 'their arrival', de: 'ihrem Eingang' },
            basis: {
              en: 'a mail that could not be read within a day is not kept',
              de: 'eine E-Mail, die nicht binnen eines Tages gelesen werden konnte, wird nicht aufbewahrt',
            },
          },
        ],
      },
    ],
  };
}
