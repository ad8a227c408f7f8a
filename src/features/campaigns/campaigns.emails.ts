// The mail of a newsletter campaign: the staff-written Markdown as safe HTML and as text, then why the reader gets
// it and the visible link to unsubscribe. The one-click header is added by enqueueMarketingMail, not here.
import { composeMail, type ComposedMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import { tr } from '../../platform/i18n.ts';
import { markdownText, renderMarkdown } from '../../platform/markdown.ts';

export interface CampaignContent {
  subject_en: string;
  subject_de: string;
  body_en: string;
  body_de: string;
}

export const CAMPAIGN_TEMPLATE = 'newsletter-campaign';

export type RenderedCampaignBody = ReturnType<typeof renderCampaignBody>;

/** The subject and body in a language, rendered (for the mail and the console's preview). */
export function renderCampaignBody(content: CampaignContent, lang: Lang) {
  const markdown = lang === 'de' ? content.body_de : content.body_en;
  return {
    subject: lang === 'de' ? content.subject_de : content.subject_en,
    // The mail's subject is its h1 in HTML: the text's own headings start below it.
    html: renderMarkdown(markdown, { topHeading: 2 }),
    text: markdownText(markdown),
  };
}

export function campaignMail(input: {
  to: string;
  lang: Lang;
  content: CampaignContent;
  /**
   * The visible link to the page with the choices (a placeholder token until delivery); null for a staff member's
   * test, which belongs to no subscription: a note stands in its place.
   */
  unsubscribePageUrl: string | null;
  company: string;
  /** A test sent to a staff member: subject prefixed, marked as a test. */
  test?: boolean;
  /** The body already rendered in `lang` (a campaign renders it once per language, not once per reader). */
  rendered?: RenderedCampaignBody;
}): ComposedMail {
  const body = input.rendered ?? renderCampaignBody(input.content, input.lang);
  return composeMail({
    to: input.to,
    lang: input.lang,
    subject: input.test ? `[Test] ${body.subject}` : body.subject,
    template: input.test ? `${CAMPAIGN_TEMPLATE}-test` : CAMPAIGN_TEMPLATE,
    blocks: [
      { kind: 'heading', text: body.subject },
      { kind: 'rendered', html: body.html, text: body.text },
      ...(input.unsubscribePageUrl === null
        ? testNote(input.lang)
        : readerFooter(input.lang, input.company, input.unsubscribePageUrl)),
    ],
  });
}

type Blocks = Parameters<typeof composeMail>[0]['blocks'];

function testNote(lang: Lang): Blocks {
  return [
    {
      kind: 'note',
      text: tr(lang, {
        en: 'This is a test of the campaign, sent only to you. Each subscriber’s copy ends with a note on why they receive it and their own link to unsubscribe.',
        de: 'Dies ist ein Test der Aussendung, nur an Sie gesandt. Die Ausgabe jedes Abonnenten endet mit einem Hinweis, warum er sie erhält, und seinem eigenen Link zum Abbestellen.',
      }),
    },
  ];
}

function readerFooter(lang: Lang, company: string, unsubscribePageUrl: string): Blocks {
  const t = (text: { en: string; de: string }, params?: Record<string, string>) => tr(lang, text, params);
  return [
    {
      kind: 'note',
      text: t(
        {
          en: 'You receive this newsletter from {company} because you subscribed to it and confirmed your address. You can unsubscribe at any time, free of charge; one click on the link below is enough.',
          de: 'Sie erhalten diesen Newsletter von {company}, weil Sie ihn abonniert und Ihre Adresse bestätigt haben. Sie können ihn jederzeit kostenlos abbestellen; ein Klick auf den Link unten genügt.',
        },
        { company },
      ),
    },
    {
      kind: 'link',
      label: t({ en: 'Unsubscribe from the newsletter', de: 'Newsletter abbestellen' }),
      href: unsubscribePageUrl,
    },
  ];
}
