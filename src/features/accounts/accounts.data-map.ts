// Policy 5: the user account. Name, email and password are needed for the contract; company and phone are
// voluntary. Sessions and mail tokens exist only to keep the account secure.
import type { DataMapPart } from '../../privacy/data-map.ts';
import { findUserByEmail } from './accounts.queries.ts';
import { normaliseEmail } from './accounts.service.ts';

export const accountsDataMap: DataMapPart = {
  // A person is found by their account's email; never by an IP address, which others may share (Art. 15(4)).
  async subjectKeys(db, email) {
    const user = await findUserByEmail(db, normaliseEmail(email));
    if (!user) return {};
    return { userIds: [user.id] };
  },
  activities: [
    {
      id: 'accounts.user-account',
      name: { en: 'Customer account', de: 'Kundenkonto' },
      purpose: {
        en: 'Providing your customer account: signing in, showing and correcting your details, and the services that build on it.',
        de: 'Bereitstellung Ihres Kundenkontos: Anmeldung, Anzeige und Korrektur Ihrer Angaben und die darauf aufbauenden Dienste.',
      },
      legalBasis: 'contract',
      basisDetail: {
        en: 'Voluntary details (company, phone) are processed because you chose to give them; you can remove them at any time.',
        de: 'Freiwillige Angaben (Firma, Telefon) verarbeiten wir, weil Sie sie angegeben haben; Sie können sie jederzeit entfernen.',
      },
      subjects: { en: 'registered customers and staff', de: 'registrierte Kunden und Mitarbeitende' },
      recipients: [],
    },
    {
      id: 'accounts.security',
      name: { en: 'Account security', de: 'Kontosicherheit' },
      purpose: {
        en: 'Keeping you signed in, letting you see and end your sessions, and protecting your account against misuse.',
        de: 'Ihre Anmeldung aufrechterhalten, Ihnen Ihre Sitzungen zeigen und beenden lassen und Ihr Konto vor Missbrauch schützen.',
      },
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Our and your interest in a secure account.',
        de: 'Unser und Ihr Interesse an einem sicheren Konto.',
      },
      subjects: { en: 'registered customers and staff', de: 'registrierte Kunden und Mitarbeitende' },
      recipients: [],
    },
  ],
  tables: [
    {
      table: 'users',
      activity: 'accounts.user-account',
      subject: { via: 'user-id', column: 'id' },
      columns: {
        id: 'account',
        email: 'contact',
        name: 'identity',
        password_hash: 'secret',
        role: 'account',
        email_verified_at: 'account',
        company: 'identity',
        phone: 'contact',
        lang: 'preferences',
        created_at: 'account',
        updated_at: 'account',
      },
      erasure: { action: 'delete' },
      retention: [],
    },
    {
      table: 'sessions',
      refersTo: ['users'],
      activity: 'accounts.security',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'online-identifier',
        user_id: 'account',
        token_hash: 'secret',
        remember: 'preferences',
        created_at: 'usage',
        last_seen_at: 'usage',
        idle_expires_at: 'usage',
        expires_at: 'usage',
        device: 'device',
        ip: 'ip-address',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'accounts.delete-expired-sessions',
          what: { en: 'Sessions', de: 'Sitzungen' },
          after: { days: 0 },
          from: 'expires_at',
          fromEvent: {
            en: 'their end (at most 12 hours, or 90 days with “Remember me”)',
            de: 'ihrem Ende (höchstens 12 Stunden, mit „Angemeldet bleiben“ 90 Tage)',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'accounts.delete-idle-sessions',
          what: { en: 'Unused sessions', de: 'Ungenutzte Sitzungen' },
          after: { days: 0 },
          from: 'idle_expires_at',
          fromEvent: {
            en: 'their idle timeout (2 hours, or 30 days with “Remember me”)',
            de: 'ihrer Leerlaufzeit (2 Stunden, mit „Angemeldet bleiben“ 30 Tage)',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'accounts.clear-session-ips',
          what: { en: 'IP addresses shown in the session list', de: 'In der Sitzungsliste gezeigte IP-Adressen' },
          after: { days: 7 },
          from: 'last_seen_at',
          fromEvent: { en: 'the session’s last request', de: 'der letzten Anfrage der Sitzung' },
          action: { kind: 'clear', columns: ['ip'] },
        },
      ],
    },
    {
      table: 'account_tokens',
      refersTo: ['users'],
      activity: 'accounts.security',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        token_hash: 'secret',
        user_id: 'account',
        purpose: 'account',
        email: 'contact',
        created_at: 'account',
        expires_at: 'account',
        used_at: 'account',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'accounts.delete-expired-tokens',
          what: {
            en: 'Links for address confirmation, password reset, confirming an email change (which keep the new address until then) and undoing one (which keep the old address until then)',
            de: 'Links zur Adressbestätigung, zum Zurücksetzen des Passworts, zum Bestätigen einer E-Mail-Änderung (die bis dahin die neue Adresse enthalten) und zu ihrem Rückgängigmachen (die bis dahin die alte Adresse enthalten)',
          },
          after: { days: 1 },
          from: 'expires_at',
          fromEvent: { en: 'their expiry', de: 'ihrem Ablauf' },
          action: { kind: 'delete' },
        },
      ],
    },
    {
      // Failed sign-ins per address (when no REDIS_URL is set; Redis keeps the same counters with a 1-day expiry)
      // and the time of the last account mail per address and kind, for coalescing resends.
      table: 'account_limits',
      activity: 'accounts.security',
      subject: null,
      unlinkedBecause: {
        en: "Each row is keyed by a keyed hash (HMAC with the shop's secret) of an email address, whether or not it has an account, and holds only a counter and a time. The rows are pseudonymous, not anonymous: whoever holds the secret can recompute the hash from a known address and find its row. They are left out of an export because they hold nothing about a person but how often a sign-in failed or an account mail was sent in the last day, and they are deleted one day after their last use.",
        de: 'Jede Zeile ist über einen geheimen Hash (HMAC mit dem Geheimnis des Shops) einer E-Mail-Adresse gekennzeichnet, ob es dazu ein Konto gibt oder nicht, und enthält nur einen Zähler und eine Zeit. Die Zeilen sind pseudonym, nicht anonym: Wer das Geheimnis kennt, kann den Hash aus einer bekannten Adresse neu berechnen und ihre Zeile finden. Sie sind nicht Teil einer Auskunft, weil sie über eine Person nur enthalten, wie oft am letzten Tag eine Anmeldung fehlschlug oder eine Konto-E-Mail verschickt wurde, und sie werden einen Tag nach ihrer letzten Verwendung gelöscht.',
      },
      columns: { key_hash: 'online-identifier', count: 'usage', last_at: 'usage' },
      erasure: null,
      retention: [
        {
          id: 'accounts.delete-sign-in-counters',
          what: {
            en: 'Counters of failed sign-ins and of account mails per address',
            de: 'Zähler fehlgeschlagener Anmeldungen und von Konto-E-Mails je Adresse',
          },
          after: { days: 1 },
          from: 'last_at',
          fromEvent: { en: 'their last use', de: 'ihrer letzten Verwendung' },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
