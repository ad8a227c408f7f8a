// The basket: guests' baskets behind a session cookie, customers' in the account, merged at sign-in.
import { defineFeature } from '../../feature.ts';
import { basketDataMap } from './basket.data-map.ts';
import { registerBasketRoutes } from './basket.routes.ts';
import { basketMergePlugin } from './basket.session.ts';
import { createBaskets } from './migrations/001-baskets.ts';

export { viewBasket, type BasketView } from './basket.service.ts';
export { clearBasketOfUser } from './basket.queries.ts';

export const basketFeature = defineFeature({
  name: 'basket',
  navigation: [
    { href: '/basket', label: { en: 'Basket', de: 'Warenkorb' }, place: 'header', for: 'everyone', order: 20 },
  ],
  migrations: [createBaskets],
  dataMap: basketDataMap,
  plugins: [basketMergePlugin],
  routes: registerBasketRoutes,
});
