// Surveys to purchasers (policy 3b, issue 13): invitations only with consent (an unticked box at checkout, or the
// account), one response per personal link, answers kept for the survey's period and deleted when consent is
// withdrawn, results for staff in aggregate only.
import { defineFeature } from '../../feature.ts';
import { createSurveys } from './migrations/001-surveys.ts';
import { surveyCheckoutChoice } from './surveys.consent.ts';
import { surveysDataMap } from './surveys.data-map.ts';
import { registerSurveyRoutes } from './surveys.routes.ts';
import { registerSurveyStaffRoutes } from './surveys.staff.routes.ts';

export type { SurveyTables } from './surveys.tables.ts';
export { hasConsent as hasSurveyConsent, withdrawConsent as withdrawSurveyConsent } from './surveys.consent.ts';

export const surveysFeature = defineFeature({
  name: 'surveys',
  navigation: [
    {
      href: '/staff/surveys',
      label: { en: 'Surveys', de: 'Umfragen' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 56,
    },
  ],
  checkoutChoices: [surveyCheckoutChoice],
  migrations: [createSurveys],
  dataMap: surveysDataMap,
  routes: async (app, deps) => {
    await registerSurveyRoutes(app, deps);
    registerSurveyStaffRoutes(app, deps);
  },
  policyLinks: [
    {
      right: 'object-direct-marketing',
      href: '/account/surveys',
      label: { en: 'Surveys in your account', de: 'Umfragen in Ihrem Kundenkonto' },
      activity: 'surveys.invitations',
      before: {
        en: 'To withdraw your consent to survey invitations (which deletes your answers), use',
        de: 'Um Ihre Einwilligung in Einladungen zu Umfragen zu widerrufen (womit Ihre Antworten gelöscht werden), nutzen Sie',
      },
      after: { en: 'or the link in each invitation.', de: 'oder den Link in jeder Einladung.' },
    },
  ],
});
