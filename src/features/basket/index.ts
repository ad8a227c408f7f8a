// The basket: guests' baskets behind a session cookie, customers' in the account, merged at sign-in.
import { defineFeature } from '../../feature.ts';
import { basketDataMap } from './basket.data-map.ts';
import { registerBasketRoutes } from './basket.routes.ts';
import { basketMergePlugin } from './basket.session.ts';
import { createBaskets } from './migrations/001-baskets.ts';
import { addAddedNotice } from './migrations/002-added-notice.ts';

export { viewBasket, type BasketView } from './basket.service.ts';
export { clearBasketOfUser } from './basket.queries.ts';

export const basketFeature = defineFeature({
  name: 'basket',
  navigation: [
    {
      href: '/basket',
      label: { en: 'Basket', de: 'Warenkorb' },
      place: 'header',
      for: 'everyone',
      order: 20,
      count: {
        key: 'basket',
        one: { en: '1 item', de: '1 Artikel' },
        other: { en: '{n} items', de: '{n} Artikel' },
      },
    },
  ],
  migrations: [createBaskets, addAddedNotice],
  dataMap: basketDataMap,
  plugins: [basketMergePlugin],
  routes: registerBasketRoutes,
});
