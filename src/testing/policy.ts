// What the policy tests share: the policy's input (the app's data map, the demo operator, the consent registry),
// the body rendered in both languages, and reading one element of it by id.
import { createDataMap } from '../composition.ts';
import { cookiePolicy } from '../platform/http/cookies.ts';
import type { Lang } from '../platform/i18n.ts';
import { demoOperator, type Operator } from '../platform/operator.ts';
import { buildConsentRegistry, candorCookies } from '../privacy/consent/registry.ts';
import type { DataMap } from '../privacy/data-map.ts';
import { renderPolicyBody, type PolicyInput } from '../privacy/policy.pages.ts';

const cookieNames = { ...cookiePolicy('https://shop.example'), consent: 'candor_consent' };

export function policyInput(dataMap: DataMap = createDataMap(), operator: Operator = demoOperator): PolicyInput {
  return { dataMap, operator, registry: buildConsentRegistry(operator, dataMap, candorCookies(cookieNames)) };
}

export function policyBodies(input: PolicyInput = policyInput()): Record<Lang, string> {
  return { en: renderPolicyBody('en', input), de: renderPolicyBody('de', input) };
}

/** The markup inside the element with this id (nested elements of the same tag counted), or undefined. */
export function elementById(body: string, id: string): string | undefined {
  const open = new RegExp(`<([a-z0-9]+)[^>]*\\sid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`).exec(body);
  if (!open) return undefined;
  const tag = open[1]!;
  const start = open.index + open[0].length;
  const re = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
  re.lastIndex = start;
  let depth = 1;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return body.slice(start, m.index);
  }
  return undefined;
}

/** The text of some markup, tags dropped and white space collapsed. */
export const textOf = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
