// The staff home's mail figure: deliveries that failed for good.
import type { ConsoleFigureProvider } from '../../feature.ts';
import { countFailedMail } from './mail.figures.queries.ts';

export const mailFigures: ConsoleFigureProvider = {
  roles: ['staff', 'dpo', 'admin'],
  order: 30,
  async load(deps) {
    return {
      figures: [
        {
          label: { en: 'Failed mail deliveries', de: 'Fehlgeschlagene E-Mail-Zustellungen' },
          value: await countFailedMail(deps.db),
          unit: 'count',
          href: '/staff/mail?state=failed',
        },
      ],
    };
  },
};
