// Advertising to existing customers (§7(3) UWG); the objections kept to respect it are the privacy engine's.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const advertisingDataMap: DataMapPart = {
  activities: [
    {
      id: 'advertising.similar-products',
      name: { en: 'Suggestions of similar products', de: 'Vorschläge ähnlicher Produkte' },
      purpose: {
        en: 'Emailing customers about products similar to those they bought. You can object at any time, without incurring any costs other than the transmission costs at the basic rates: in your account or with the link in every such email.',
        de: 'E-Mails an Kunden zu Produkten, die den gekauften ähneln. Sie können jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen: im Konto oder über den Link in jeder solchen E-Mail.',
      },
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Direct marketing to existing customers, § 7(3) UWG; we keep your objection so that we respect it.',
        de: 'Direktwerbung an Bestandskunden, § 7 Abs. 3 UWG; Ihren Widerspruch speichern wir, um ihn zu beachten.',
      },
      subjects: { en: 'customers who bought from us', de: 'Kunden, die bei uns gekauft haben' },
      recipients: [],
      // Objections are kept by the privacy engine (processing_objections) and checked with mayProcess.
      objectable: true,
      // What sendSimilarProductMails reads (listPurchases, findUserById) and the mail it writes to the outbox.
      uses: [
        { table: 'orders', columns: ['user_id', 'lines', 'status'] },
        { table: 'users', columns: ['id', 'name', 'email', 'lang'] },
        { table: 'outbox', columns: ['recipient', 'subject', 'body', 'headers'] },
        // The purchaser's enrolment at checkout (origin 'purchase', the notice shown), kept with the newsletter's.
        { table: 'newsletter_subscriptions', columns: ['email', 'list', 'origin', 'status', 'consent_text'] },
      ],
    },
  ],
  tables: [],
};
