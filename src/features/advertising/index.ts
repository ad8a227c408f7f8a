// Advertising for similar products to purchasers (§7(3) UWG), with objection in the account and in every mail.
import { types } from '../../platform/db/dialect.ts';
import { defineFeature } from '../../platform/feature.ts';
import { registerAdvertisingRoutes } from './advertising.routes.ts';

// No route sends these mails: the campaign pipeline of issue 13 (newsletter) will call this.
export { sendSimilarProductMails } from './advertising.service.ts';

export interface AdvertisingTables {
  advertising_objections: { user_id: string; objected_at: number; via: 'account' | 'mail' };
}

export const advertisingFeature = defineFeature({
  name: 'advertising',
  migrations: [
    {
      id: 'advertising.001-objections',
      async up(db) {
        await db.schema
          .createTable('advertising_objections')
          .addColumn('user_id', types.id, (c) => c.primaryKey())
          .addColumn('objected_at', types.time, (c) => c.notNull())
          .addColumn('via', types.short, (c) => c.notNull())
          .execute();
      },
    },
  ],
  dataMap: {
    activities: [
      {
        id: 'advertising.similar-products',
        name: { en: 'Suggestions of similar products', de: 'Vorschläge ähnlicher Produkte' },
        purpose: {
          en: 'Emailing customers about products similar to those they bought. You can object at any time in your account or with the link in every such email.',
          de: 'E-Mails an Kunden zu Produkten, die den gekauften ähneln. Sie können jederzeit im Konto oder über den Link in jeder solchen E-Mail widersprechen.',
        },
        legalBasis: 'legitimate-interests',
        basisDetail: { en: 'Direct marketing to existing customers, §7(3) UWG; we keep your objection so that we respect it.', de: 'Direktwerbung an Bestandskunden, §7 Abs. 3 UWG; Ihren Widerspruch speichern wir, um ihn zu beachten.' },
        subjects: { en: 'customers who bought from us', de: 'Kunden, die bei uns gekauft haben' },
        recipients: [],
      },
    ],
    tables: [
      {
        table: 'advertising_objections',
        activity: 'advertising.similar-products',
        subject: { via: 'user-id', column: 'user_id' },
        columns: { user_id: 'account', objected_at: 'preferences', via: 'preferences' },
        erasure: { action: 'delete' },
        retention: [],
      },
    ],
  },
  routes: registerAdvertisingRoutes,
});
