// Policy 5: the user account. Name, email and password are needed for the contract; company and phone are
// voluntary (the phone number for staff to call about an order; the company name is used nowhere else). Sessions and mail tokens exist only to keep the account secure.
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
        en: 'We process the voluntary details (telephone number, company name) for the purposes stated under “Required and voluntary data” on the basis of your consent (Art. 6(1)(a) GDPR), which you give by entering them; you can withdraw it at any time by removing them.',
        de: 'Die freiwilligen Angaben (Telefonnummer, Firmenname) verarbeiten wir zu den unter „Pflichtangaben und freiwillige Angaben“ genannten Zwecken auf Grundlage Ihrer Einwilligung (Art. 6 Abs. 1 lit. a DSGVO), die Sie mit ihrer Eingabe erteilen; Sie können sie jederzeit widerrufen, indem Sie die Angaben entfernen.',
      },
      subjects: { en: 'registered customers and staff', de: 'registrierte Kunden und Mitarbeitende' },
      recipients: [],
      // Art. 13(2)(e): the registration form asks only for these three (accounts.pages.ts); the checkout needs an
      // account with a confirmed address (orders.pages.routes.ts: requireVerifiedEmail), there is no guest checkout.
      requirement: {
        required: {
          en: 'Your name, your email address and a password. They are needed to conclude the contract for your customer account: the email address is how you sign in and how we confirm your address and reach you about your account, the password protects the account, and your name is how we address you.',
          de: 'Ihr Name, Ihre E-Mail-Adresse und ein Passwort. Sie sind für den Abschluss des Vertrags über Ihr Kundenkonto erforderlich: Mit der E-Mail-Adresse melden Sie sich an, über sie bestätigen wir Ihre Adresse und erreichen Sie zu Ihrem Konto; das Passwort schützt das Konto, und mit Ihrem Namen sprechen wir Sie an.',
        },
        without: {
          en: 'Without them we cannot open an account for you. Ordering in our shop needs an account with a confirmed email address; browsing the shop and filling a basket work without one.',
          de: 'Ohne diese Angaben können wir kein Konto für Sie anlegen. Für eine Bestellung in unserem Shop ist ein Konto mit bestätigter E-Mail-Adresse erforderlich; den Shop ansehen und einen Warenkorb füllen können Sie auch ohne Konto.',
        },
        voluntary: {
          en: 'Your telephone number and a company name, which you may add to your account and see, change and delete there at any time. We use the telephone number for one purpose: our staff see it with your orders so that they can call you about an order, for example when a delivery runs into a problem. The company name is kept in your account for your own reference only: it is not printed on invoices or delivery addresses, and we use it for nothing else. We pass neither on to anyone. If you leave them out, we contact you about an order by email only; nothing else changes. Legal basis: your consent (Art. 6(1)(a) GDPR), which you withdraw by deleting them from your profile.',
          de: 'Ihre Telefonnummer und ein Firmenname, die Sie in Ihrem Konto angeben und dort jederzeit einsehen, ändern und löschen können. Die Telefonnummer verwenden wir für einen einzigen Zweck: Unsere Mitarbeiter sehen sie bei Ihren Bestellungen, um Sie zu einer Bestellung anrufen zu können, etwa wenn es bei der Lieferung ein Problem gibt. Den Firmennamen speichern wir nur zu Ihrer eigenen Information in Ihrem Konto: Er erscheint weder auf Rechnungen noch in Lieferanschriften, und wir verwenden ihn für nichts anderes. Beides geben wir an niemanden weiter. Lassen Sie die Angaben weg, erreichen wir Sie zu einer Bestellung nur per E-Mail; weitere Folgen hat das nicht. Rechtsgrundlage: Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO), die Sie widerrufen, indem Sie die Angaben in Ihrem Profil löschen.',
        },
      },
      // Address confirmations, password resets and security notices go through the outbox.
      uses: [{ table: 'outbox', columns: ['recipient', 'subject', 'body', 'headers'] }],
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
      // Signing in checks the account's email address and password hash.
      uses: [{ table: 'users', columns: ['id', 'email', 'password_hash'] }],
    },
    {
      id: 'accounts.staff-team',
      name: { en: 'Staff accounts and invitations', de: 'Verwaltungskonten und Einladungen' },
      purpose: {
        en: 'Inviting people to work in the shop’s console, giving and changing their roles, deactivating accounts, and recording who made each change.',
        de: 'Personen zur Mitarbeit in der Verwaltung des Shops einladen, ihre Rollen vergeben und ändern, Konten deaktivieren und festhalten, wer welche Änderung vorgenommen hat.',
      },
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Our interest in giving access to personal data only to the right people and in being able to prove it (Art. 32 GDPR).',
        de: 'Unser Interesse, Zugang zu personenbezogenen Daten nur den richtigen Personen zu geben und dies nachweisen zu können (Art. 32 DSGVO).',
      },
      subjects: {
        en: 'staff and people invited to join the staff',
        de: 'Mitarbeitende und zur Mitarbeit eingeladene Personen',
      },
      recipients: [],
      // The invitation goes out through the outbox; the team page shows names, addresses and last sign-ins.
      uses: [
        { table: 'outbox', columns: ['recipient', 'subject', 'body', 'headers'] },
        { table: 'users', columns: ['name', 'email', 'role', 'last_sign_in_at', 'deactivated_at'] },
      ],
    },
  ],
  tables: [
    {
      // Invitations to join the staff (the team page, /staff/team): the invitee's address, the name the admin typed
      // and the role; the link's token exists only in the mail as sent, the row keeps its hash.
      table: 'staff_invitations',
      refersTo: ['users'],
      activity: 'accounts.staff-team',
      subject: { via: 'email', column: 'email' },
      columns: {
        id: 'account',
        email: 'contact',
        name: 'identity',
        role: 'account',
        lang: 'language',
        token_hash: 'secret',
        invited_by: 'account',
        created_at: 'account',
        expires_at: 'account',
        accepted_at: 'account',
        revoked_at: 'account',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'accounts.delete-old-invitations',
          what: { en: 'Invitations to join the staff', de: 'Einladungen in die Verwaltung' },
          after: { days: 30 },
          from: 'expires_at',
          fromEvent: {
            en: 'the end of the invitation’s 7-day validity',
            de: 'dem Ende der 7-tägigen Gültigkeit der Einladung',
          },
          basis: {
            en: 'an invitation is needed only until it is accepted or expires; the month after lets an administrator see and resend one that was missed',
            de: 'eine Einladung wird nur gebraucht, bis sie angenommen wird oder abläuft; der Monat danach erlaubt es, eine übersehene Einladung zu sehen und erneut zu senden',
          },
          action: { kind: 'delete' },
        },
      ],
    },
    {
      // Who invited, promoted, demoted, deactivated or reactivated a staff account, and when.
      table: 'staff_changes',
      // No foreign key to users: the rows outlive an erased account as proof (kept restricted, see erasure).
      refersTo: ['staff_invitations'],
      activity: 'accounts.staff-team',
      subject: { via: 'user-id', column: 'subject_user_id' },
      columns: {
        id: 'account',
        at: 'account',
        actor_user_id: 'account',
        subject_user_id: 'account',
        invitation_id: 'account',
        action: 'account',
        detail: 'account',
        restricted_at: 'account',
      },
      // Art. 17(3)(e) and Art. 5(2), 32 GDPR: who gave whom access to personal data must stay provable; on erasure
      // the person's rows are kept, restricted, until the three-year rule below deletes them.
      erasure: {
        action: 'keep',
        until: {
          en: '3 years after the end of the calendar year of the change',
          de: '3 Jahre nach Ende des Kalenderjahres der Änderung',
        },
        basis: {
          en: 'to prove who gave whom access to personal data and when (Art. 5(2) and 32 GDPR; Art. 17(3)(e) GDPR), for the regular limitation period of three years (§ 195 BGB)',
          de: 'zum Nachweis, wer wem wann Zugang zu personenbezogenen Daten gegeben hat (Art. 5 Abs. 2 und Art. 32 DSGVO; Art. 17 Abs. 3 lit. e DSGVO), für die regelmäßige Verjährungsfrist von drei Jahren (§ 195 BGB)',
        },
        restrictColumn: 'restricted_at',
      },
      retention: [
        {
          id: 'accounts.delete-old-staff-changes',
          what: {
            en: 'Records of changes to staff accounts',
            de: 'Aufzeichnungen über Änderungen an Verwaltungskonten',
          },
          after: { years: 3, fromEndOfYear: true },
          from: 'at',
          fromEvent: { en: 'the change', de: 'der Änderung' },
          basis: {
            en: 'to show who gave whom access to personal data and when, as Art. 5(2) and Art. 32 GDPR require, over the regular limitation period of three years under § 195 BGB',
            de: 'um nachweisen zu können, wer wem wann Zugang zu personenbezogenen Daten gegeben hat, wie es Art. 5 Abs. 2 und Art. 32 DSGVO verlangen, für die regelmäßige Verjährungsfrist von drei Jahren nach § 195 BGB',
          },
          action: { kind: 'delete' },
        },
      ],
    },
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
        phone: 'phone',
        lang: 'language',
        created_at: 'account',
        updated_at: 'account',
        last_sign_in_at: 'usage',
        deactivated_at: 'account',
      },
      erasure: { action: 'delete' },
      retention: [],
      // No period: an account lasts until its holder asks for erasure (privacy/subject.ts deletes the row).
      keptUntil: {
        en: 'Your account details are kept as long as you have your account; you can remove the voluntary details yourself at any time, and when you ask us to erase your data, the account is deleted.',
        de: 'Ihre Kontodaten bleiben gespeichert, solange Sie Ihr Konto haben; die freiwilligen Angaben können Sie jederzeit selbst entfernen, und verlangen Sie die Löschung Ihrer Daten, wird das Konto gelöscht.',
      },
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
        second_factor_at: 'usage',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'accounts.delete-expired-sessions',
          what: { en: 'Sessions', de: 'Sitzungen' },
          after: { days: 0 },
          from: 'expires_at',
          fromEvent: {
            en: 'their end, after at most 12 hours or, with “Remember me”, 90 days',
            de: 'ihrem Ende nach höchstens 12 Stunden oder, mit „Angemeldet bleiben“, 90 Tagen',
          },
          basis: {
            en: 'a session is needed only while you are signed in',
            de: 'eine Sitzung wird nur gebraucht, solange Sie angemeldet sind',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'accounts.delete-idle-sessions',
          what: { en: 'Unused sessions', de: 'Ungenutzte Sitzungen' },
          after: { days: 0 },
          from: 'idle_expires_at',
          fromEvent: {
            en: 'their idle timeout of 2 hours or, with “Remember me”, 30 days',
            de: 'Ablauf ihrer Leerlaufzeit von 2 Stunden oder, mit „Angemeldet bleiben“, 30 Tagen',
          },
          basis: {
            en: 'a session left unused is ended so that nobody else can use it',
            de: 'eine ungenutzte Sitzung wird beendet, damit niemand sonst sie nutzen kann',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'accounts.clear-session-ips',
          what: { en: 'IP addresses shown in the session list', de: 'In der Sitzungsliste gezeigte IP-Adressen' },
          after: { days: 7 },
          from: 'last_seen_at',
          fromEvent: { en: 'the session’s last request', de: 'der letzten Anfrage der Sitzung' },
          basis: {
            en: 'so that you can recognise your sessions and spot one that is not yours, for as long as we keep full IP addresses anywhere',
            de: 'damit Sie Ihre Sitzungen wiedererkennen und eine fremde bemerken können, so lange, wie wir vollständige IP-Adressen überhaupt speichern',
          },
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
            en: 'Links for address confirmation and password reset, and links for confirming or undoing an email change together with the new or old address they hold',
            de: 'Links zur Adressbestätigung und zum Zurücksetzen des Passworts sowie Links zum Bestätigen oder Rückgängigmachen einer E-Mail-Änderung samt der darin gespeicherten neuen oder alten Adresse',
          },
          after: { days: 1 },
          from: 'expires_at',
          fromEvent: { en: 'their expiry', de: 'ihrem Ablauf' },
          basis: {
            en: 'an expired link can no longer be used',
            de: 'ein abgelaufener Link kann nicht mehr verwendet werden',
          },
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
          basis: {
            en: 'the counters limit failed sign-ins and account emails per day, to protect accounts against guessing and mail floods',
            de: 'die Zähler begrenzen Fehlanmeldungen und Konto-E-Mails pro Tag, zum Schutz der Konten vor Erraten und E-Mail-Fluten',
          },
          action: { kind: 'delete' },
        },
      ],
    },
    {
      // The second factor (TOTP) of an account that turned it on (mandatory for staff, dpo and admin). The secret
      // cannot be hashed (the server computes codes from it), so it is encrypted: AES-256-GCM under a key derived
      // from the instance secret (two-factor.crypto.ts); withheld from exports like every security secret.
      table: 'two_factor',
      refersTo: ['users'],
      activity: 'accounts.security',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        user_id: 'account',
        secret_enc: 'secret',
        confirmed_at: 'account',
        last_step: 'usage',
        created_at: 'account',
        enrolling_session_id: 'account',
      },
      erasure: { action: 'delete' },
      retention: [],
      keptUntil: {
        en: 'The key of your two-step sign-in is kept, encrypted, as long as you have your account and keep two-step sign-in on; turning it off (customer accounts) or a reset by another administrator account (staff accounts) deletes it, and so does the deletion of the account. A key shown for setting up but never confirmed is replaced by the next attempt and deleted with the account.',
        de: 'Der Schlüssel Ihrer Anmeldung in zwei Schritten wird verschlüsselt gespeichert, solange Sie Ihr Konto haben und die Anmeldung in zwei Schritten eingeschaltet ist; das Ausschalten (Kundenkonten) oder das Zurücksetzen durch ein anderes Konto mit Administratorrechten (Verwaltungskonten) löscht ihn, ebenso die Löschung des Kontos. Ein zur Einrichtung angezeigter, aber nie bestätigter Schlüssel wird beim nächsten Versuch ersetzt und mit dem Konto gelöscht.',
      },
    },
    {
      table: 'two_factor_recovery_codes',
      refersTo: ['users'],
      activity: 'accounts.security',
      subject: { via: 'user-id', column: 'user_id' },
      columns: { code_hash: 'secret', user_id: 'account', created_at: 'account', used_at: 'usage' },
      erasure: { action: 'delete' },
      retention: [],
      keptUntil: {
        en: 'Recovery codes are stored only as keyed hashes, as long as two-step sign-in is on; new codes, turning it off or deleting the account delete them.',
        de: 'Wiederherstellungscodes werden nur als geheime Hashes gespeichert, solange die Anmeldung in zwei Schritten eingeschaltet ist; neue Codes, das Ausschalten oder die Löschung des Kontos löschen sie.',
      },
    },
    {
      // Between a right password and the code: a pending sign-in, valid for 10 minutes.
      table: 'two_factor_challenges',
      refersTo: ['users'],
      activity: 'accounts.security',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        token_hash: 'secret',
        user_id: 'account',
        remember: 'preferences',
        created_at: 'usage',
        expires_at: 'usage',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'accounts.delete-expired-sign-in-steps',
          what: { en: 'Sign-ins waiting for the code', de: 'Auf den Code wartende Anmeldungen' },
          after: { days: 0 },
          from: 'expires_at',
          fromEvent: { en: 'their expiry after 10 minutes', de: 'ihrem Ablauf nach 10 Minuten' },
          basis: {
            en: 'a sign-in step is needed only until the code is entered',
            de: 'ein Anmeldeschritt wird nur bis zur Eingabe des Codes gebraucht',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
