// Every link of the published policy leads somewhere, in both languages: the pages the manifests declare for a
// right answer (or ask the visitor to sign in first), every #anchor exists, and other sites are reached by https.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createDataMap } from '../testing/app.ts';
import { cookiePolicy } from '../platform/http/cookies.ts';
import { demoOperator } from '../platform/operator.ts';
import { buildConsentRegistry, candorCookies } from './consent/registry.ts';
import { buildDataMap } from './data-map.ts';
import { renderPolicyBody } from './policy.pages.ts';
import { policyLinkProblems } from './policy-links.ts';
import { describeEachDatabase, openHarness } from '../testing/harness.ts';

/** The hrefs inside the page's <main>, where the policy is; entities decoded as a browser would. */
function linksOf(page: string): string[] {
  const main = /<main\b[\s\S]*<\/main>/.exec(page)?.[0] ?? '';
  return [...main.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

function idsOf(page: string): Set<string> {
  return new Set([...page.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')));
}

/** What is wrong with one link of the page, or nothing. */
async function problemOf(
  app: FastifyInstance,
  href: string,
  ids: Set<string>,
  lang: string,
): Promise<string | undefined> {
  if (href.startsWith('#')) return ids.has(href.slice(1)) ? undefined : `${href}: no element has this id`;
  if (href.startsWith('mailto:')) return /^mailto:[^@\s]+@[^@\s]+$/.test(href) ? undefined : `${href}: not an address`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) {
    return href.startsWith('https://') ? undefined : `${href}: another site reached without https`;
  }
  if (!href.startsWith('/')) return `${href}: a relative link`;
  // As a browser following the link asks for it.
  const headers = { 'accept-language': lang, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
  const res = await app.inject({ method: 'GET', url: href, headers });
  if (res.statusCode === 200) return undefined;
  const location = String(res.headers.location ?? '');
  const path = href.split('#')[0]!.split('?')[0]!;
  if ((res.statusCode === 303 || res.statusCode === 302) && location.startsWith('/account/login')) {
    // The sign-in page must bring the visitor back to the page the policy promised.
    return location.includes(`next=${encodeURIComponent(path)}`)
      ? undefined
      : `${href}: sign-in forgets the page (${location})`;
  }
  return `${href}: answered ${res.statusCode}${location ? ` to ${location}` : ''}`;
}

describeEachDatabase('the links of the privacy policy', (db) => {
  for (const lang of ['en', 'de'] as const) {
    test(`every link of /privacy in ${lang === 'en' ? 'English' : 'German'} answers`, async () => {
      const h = await openHarness(db);
      try {
        const res = await h.app.inject({ method: 'GET', url: '/privacy', headers: { 'accept-language': lang } });
        assert.equal(res.statusCode, 200);
        assert.match(res.body, new RegExp(`<html lang="${lang}"`));
        const hrefs = [...new Set(linksOf(res.body))];
        // The rights pages the manifests declare are among them (so a lost link cannot pass unnoticed).
        for (const link of h.deps.dataMap.links)
          assert.ok(hrefs.includes(link.href), `the policy links to ${link.href}`);
        assert.ok(
          hrefs.some((href) => href.startsWith('#')),
          'anchors',
        );
        assert.ok(
          hrefs.some((href) => href.startsWith('https://')),
          'links to other sites',
        );
        const ids = idsOf(res.body);
        const problems = (await Promise.all(hrefs.map((href) => problemOf(h.app, href, ids, lang)))).filter(
          (p) => p !== undefined,
        );
        assert.deepEqual(problems, []);
      } finally {
        await h.close();
      }
    });
  }
});

test('the data map refuses a policy link that is not a path, names an unknown activity, or repeats a right', () => {
  const activity = {
    id: 'x.a',
    name: { en: 'A', de: 'A' },
    purpose: { en: 'p', de: 'p' },
    legalBasis: 'contract' as const,
    subjects: { en: 's', de: 's' },
    recipients: [],
  };
  const label = { en: 'l', de: 'l' };
  assert.throws(
    () =>
      buildDataMap(
        [{ activities: [activity], tables: [] }],
        [{ right: 'access', href: 'https://elsewhere.example/x', label }],
      ),
    /not a path of this site/,
  );
  assert.throws(
    () =>
      buildDataMap(
        [{ activities: [activity], tables: [] }],
        [{ right: 'object-direct-marketing', href: '/x', label, activity: 'x.b', before: label }],
      ),
    /unknown activity x\.b/,
  );
  assert.deepEqual(
    policyLinkProblems(
      [
        { right: 'access', href: '/a', label },
        { right: 'access', href: '/b', label },
      ],
      new Set(),
    ),
    ['two policy links for the right access'],
  );
  assert.doesNotThrow(() =>
    buildDataMap(
      [{ activities: [activity], tables: [] }],
      [{ right: 'object-direct-marketing', href: '/x', label, activity: 'x.a', before: label }],
    ),
  );
});

test('without the features’ pages the policy links to none and says to write to the data protection officer', () => {
  const full = createDataMap();
  const registry = buildConsentRegistry(demoOperator, full, candorCookies(cookiePolicy('https://shop.example')));
  for (const lang of ['en', 'de'] as const) {
    const body = renderPolicyBody(lang, { dataMap: { ...full, links: [] }, operator: demoOperator, registry });
    assert.doesNotMatch(body, /href="\//, lang);
    const dpo = (body.match(new RegExp(`mailto:${demoOperator.dpo.email}`, 'g')) ?? []).length;
    const withPages = renderPolicyBody(lang, { dataMap: full, operator: demoOperator, registry });
    assert.ok(dpo > (withPages.match(new RegExp(`mailto:${demoOperator.dpo.email}`, 'g')) ?? []).length, lang);
  }
});
