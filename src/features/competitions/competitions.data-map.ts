// Policy 3c: competitions. Entrants give their name, surname, address and country; every entry carries the time it
// goes (`delete_after`), non-winning entries go the moment the draw is done, winners' details after the prize
// period. The draw record keeps only the seed and the entries' hashes (decision 0054). Not objectable: the basis is
// the contract, where Art. 21 does not apply; withdrawing the entry is how a person leaves. A restriction (Art. 18,
// privacy/objections.ts kind 'restriction') keeps the entry out of the draw without deleting it.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const COMPETITION_ACTIVITY = 'competitions.entries';

export const competitionsDataMap: DataMapPart = {
  activities: [
    {
      id: COMPETITION_ACTIVITY,
      name: { en: 'Competitions', de: 'Gewinnspiele' },
      purpose: {
        en: 'Running the competitions you enter: confirming your email address, checking that you may take part (the countries allowed), drawing the winners at random, and telling the winners and handing over their prize. The winners are drawn from a recorded random seed and a list of hashes of the entries, so that anyone can check the draw; the list reveals nothing about you once your entry is deleted.',
        de: 'Durchführung der Gewinnspiele, an denen Sie teilnehmen: Bestätigung Ihrer E-Mail-Adresse, Prüfung der Teilnahmeberechtigung (die zugelassenen Länder), Auslosung der Gewinner per Zufall sowie Benachrichtigung der Gewinner und Übergabe ihres Gewinns. Die Gewinner werden aus einem aufgezeichneten Zufallswert und einer Liste von Hashwerten der Teilnahmen gezogen, sodass jeder die Auslosung nachprüfen kann; die Liste verrät nichts über Sie, sobald Ihre Teilnahme gelöscht ist.',
      },
      legalBasis: 'contract',
      basisDetail: {
        en: 'Taking part is an agreement between you and us on the conditions of the competition (Art. 6(1)(b) GDPR); we use your details for nothing else, in particular not for advertising. You can withdraw your entry at any time with the link in our email or in your account, and it is deleted at once. If you ask us to restrict the processing of your entry, we keep it but leave it out of the draw; it is then deleted when you withdraw it, or 30 days after the competition ends.',
        de: 'Die Teilnahme ist eine Vereinbarung zwischen Ihnen und uns zu den Teilnahmebedingungen (Art. 6 Abs. 1 lit. b DSGVO); wir verwenden Ihre Angaben für nichts anderes, insbesondere nicht für Werbung. Sie können Ihre Teilnahme jederzeit mit dem Link in unserer E-Mail oder in Ihrem Konto zurückziehen; sie wird dann sofort gelöscht. Verlangen Sie die Einschränkung der Verarbeitung Ihrer Teilnahme, bewahren wir sie auf, lassen sie aber bei der Auslosung außen vor; gelöscht wird sie dann, wenn Sie sie zurückziehen, oder 30 Tage nach dem Ende des Gewinnspiels.',
      },
      subjects: { en: 'people who enter a competition', de: 'Teilnehmer an Gewinnspielen' },
      recipients: [],
      requirement: {
        required: {
          en: 'To take part you must give your given name, surname, email address and country: we need them to confirm your entry, to check that you may take part, and to tell a winner and hand over the prize. They are deleted when the competition has ended and its winners are drawn; a winner’s details are kept only for the prize period stated with the competition, then deleted. One copy of your email address lasts longer: the confirmation email we sent you (it does not contain your name) stays in our record of sent emails for 30 days after sending, then it is deleted too.',
          de: 'Um teilzunehmen, müssen Sie Vorname, Nachname, E-Mail-Adresse und Land angeben: Wir brauchen sie, um Ihre Teilnahme zu bestätigen, Ihre Teilnahmeberechtigung zu prüfen und einen Gewinner zu benachrichtigen und ihm den Gewinn zu übergeben. Sie werden gelöscht, sobald das Gewinnspiel beendet und die Gewinner ausgelost sind; die Angaben eines Gewinners bewahren wir nur für die beim Gewinnspiel genannte Gewinnfrist auf und löschen sie dann. Eine Kopie Ihrer E-Mail-Adresse bleibt länger: Die Bestätigungs-E-Mail, die wir Ihnen gesandt haben (sie enthält Ihren Namen nicht), bleibt 30 Tage nach dem Versand in unserer Aufzeichnung versandter E-Mails und wird dann ebenfalls gelöscht.',
        },
        without: {
          en: 'Without them you cannot take part in the competition.',
          de: 'Ohne sie können Sie nicht an dem Gewinnspiel teilnehmen.',
        },
      },
      // The confirmation email goes through the outbox, which keeps it by its own rule (mail.delete-sent-messages,
      // 30 days after sending): the requirement text above names that copy (decision 0054).
      uses: [{ table: 'outbox', columns: ['recipient', 'subject', 'body', 'html'] }],
    },
  ],
  tables: [
    {
      table: 'competitions',
      activity: COMPETITION_ACTIVITY,
      subject: null,
      columns: {
        id: 'not-personal',
        slug: 'not-personal',
        title_en: 'not-personal',
        title_de: 'not-personal',
        text_en: 'not-personal',
        text_de: 'not-personal',
        prize_en: 'not-personal',
        prize_de: 'not-personal',
        starts_at: 'not-personal',
        ends_at: 'not-personal',
        winners: 'not-personal',
        countries: 'not-personal',
        prize_days: 'not-personal',
        created_at: 'not-personal',
        updated_at: 'not-personal',
        drawn_at: 'not-personal',
      },
      erasure: null,
      retention: [],
    },
    {
      table: 'competition_entries',
      activity: COMPETITION_ACTIVITY,
      subject: { via: 'email', column: 'email' },
      refersTo: ['competitions'],
      columns: {
        id: 'not-personal',
        competition_id: 'preferences',
        email: 'contact',
        given_name: 'identity',
        surname: 'identity',
        country: 'country',
        lang: 'language',
        status: 'preferences',
        link_ref: 'online-identifier',
        terms_version: 'preferences',
        created_at: 'preferences',
        confirmed_at: 'preferences',
        won_position: 'preferences',
        handed_over_at: 'preferences',
        delete_after: 'preferences',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'competitions.delete-expired-entries',
          what: { en: 'Competition entries', de: 'Teilnahmen an Gewinnspielen' },
          after: { days: 0 },
          from: 'delete_after',
          fromEvent: {
            en: 'the time set for each entry: an unconfirmed entry when its confirmation link expires (48 hours, at the latest when the competition ends); a confirmed entry 30 days after the competition ends, if the draw has not deleted it by then (an entry kept out of the draw by a restriction); a winner’s entry when the prize period stated with the competition ends, counted from the draw',
            de: 'dem für jede Teilnahme festgelegten Zeitpunkt: eine unbestätigte Teilnahme, wenn ihr Bestätigungslink abläuft (nach 48 Stunden, spätestens zum Ende des Gewinnspiels); eine bestätigte Teilnahme 30 Tage nach dem Ende des Gewinnspiels, falls die Auslosung sie bis dahin nicht gelöscht hat (eine Teilnahme, die wegen einer Einschränkung nicht an der Auslosung teilnahm); die Teilnahme eines Gewinners mit Ablauf der beim Gewinnspiel genannten Gewinnfrist ab der Auslosung',
          },
          basis: {
            en: 'an entry is needed only until the draw, and a winner’s details only until the prize is handed over',
            de: 'eine Teilnahme wird nur bis zur Auslosung gebraucht, die Angaben eines Gewinners nur bis zur Übergabe des Gewinns',
          },
          action: { kind: 'delete' },
        },
      ],
      keptUntil: {
        en: 'A confirmed entry that does not win is deleted at the moment the winners are drawn, which happens automatically when the competition ends; if you withdraw your entry or ask us to erase your data, it is deleted at once. The confirmation email to your address is kept in our record of sent emails for 30 days after sending.',
        de: 'Eine bestätigte Teilnahme, die nicht gewinnt, wird im Moment der Auslosung gelöscht, die mit dem Ende des Gewinnspiels automatisch stattfindet; ziehen Sie Ihre Teilnahme zurück oder verlangen Sie die Löschung Ihrer Daten, wird sie sofort gelöscht. Die Bestätigungs-E-Mail an Ihre Adresse bleibt 30 Tage nach dem Versand in unserer Aufzeichnung versandter E-Mails.',
      },
    },
    {
      table: 'competition_draws',
      activity: COMPETITION_ACTIVITY,
      subject: null,
      refersTo: ['competitions'],
      unlinkedBecause: {
        en: 'A draw record holds only the random seed and, for each entry, a hash of the entry’s random number and email address. Once the entries are deleted nobody, including us, can compute the hash for an address, because the entry’s random number is gone with it.',
        de: 'Eine Auslosungsaufzeichnung enthält nur den Zufallswert und für jede Teilnahme einen Hashwert aus der Zufallsnummer der Teilnahme und der E-Mail-Adresse. Sobald die Teilnahmen gelöscht sind, kann niemand, auch wir nicht, den Hashwert zu einer Adresse berechnen, weil die Zufallsnummer der Teilnahme mit ihr gelöscht ist.',
      },
      columns: {
        id: 'not-personal',
        competition_id: 'not-personal',
        drawn_at: 'not-personal',
        seed: 'not-personal',
        entry_hashes: 'online-identifier',
        winners_wanted: 'not-personal',
        winner_hashes: 'online-identifier',
        algorithm: 'not-personal',
      },
      erasure: null,
      retention: [
        {
          id: 'competitions.delete-old-draws',
          what: { en: 'Records of competition draws', de: 'Aufzeichnungen von Auslosungen' },
          after: { years: 3, fromEndOfYear: true },
          from: 'drawn_at',
          fromEvent: { en: 'the draw', de: 'der Auslosung' },
          basis: {
            en: 'so that the fairness of a draw can be shown for as long as a claim about it may be made, which is the regular limitation period of § 195 BGB',
            de: 'damit sich die Fairness einer Auslosung zeigen lässt, solange Ansprüche daraus geltend gemacht werden können, also die regelmäßige Verjährungsfrist nach § 195 BGB',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
