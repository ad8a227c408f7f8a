// The 403 walk (issue 12, "Done when"): every registered route under /staff and /api/v1/staff, with every method, is
// called as a signed-in customer and as a member of staff whose role the route's console does not allow; each must
// answer 403. Routes are collected from the app itself (an onRoute hook installed ahead of every feature), so a
// new staff route is walked without anyone adding it here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RouteOptions } from 'fastify';
import { defineFeature } from '../../feature.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import type { Role } from '../../platform/http/context.ts';
import { asRole, signedIn, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { buildApp, features } from '../../testing/app.ts';

interface Walked {
  method: string;
  url: string;
}

const STAFF_ROLES: Role[] = ['staff', 'dpo', 'admin'];

/**
 * Roles of staff routes that no console link covers (the link's roles are the route's otherwise). A route found by
 * the walk that is in neither place fails the test: say here who may use it.
 */
const EXPLICIT: { prefix: string; roles: Role[] }[] = [
  // The staff home: every member of staff; only the customer is walked.
  { prefix: '/staff', roles: ['staff', 'dpo', 'admin'] },
];

/** Plausible values for route parameters, so that the schema passes and the role check is what answers. */
const PARAMS: Record<string, string> = { version: '1', doc: 'terms' };
const ANY_ID = '00000000-0000-4000-8000-000000000001';

const isStaffPath = (url: string) =>
  url === '/staff' || url.startsWith('/staff/') || url === '/api/v1/staff' || url.startsWith('/api/v1/staff/');
/** A route belongs to a console's link when it is the link's path, lies below it, or is a format of it (`.csv`). */
const under = (url: string, prefix: string) =>
  url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}.`);

function rolesOf(url: string): Role[] | undefined {
  const links = features
    .flatMap((f) => f.navigation ?? [])
    .filter((n) => n.place === 'console' && n.roles && under(url.replace(/^\/api\/v1/, ''), n.href))
    .sort((a, b) => b.href.length - a.href.length);
  const link = links[0];
  if (link?.roles) return [...link.roles];
  return EXPLICIT.filter((e) => url === e.prefix).map((e) => e.roles)[0];
}

describeEachDatabase('every staff route refuses customers and staff without the role', (dbKind) => {
  let h: Harness;
  const routes: Walked[] = [];
  let app: Awaited<ReturnType<typeof buildApp>>;
  let customer: Account;
  const byRole = new Map<Role, Account>();

  before(async () => {
    h = await openHarness(dbKind);
    // The same features, behind one that only records the routes the others register.
    const recorder = defineFeature({
      name: 'route-walk',
      plugins: [
        defineGlobalPlugin<unknown>({
          name: 'route-walk',
          needs: [],
          register(instance) {
            instance.addHook('onRoute', (route: RouteOptions) => {
              if (!isStaffPath(route.url)) return;
              for (const method of Array.isArray(route.method) ? route.method : [route.method])
                if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url });
            });
          },
        }),
      ],
    });
    app = await buildApp(h.deps, [recorder, ...features]);
    await app.ready();
    customer = await signedIn(h, { name: 'Carla Customer' });
    for (const role of STAFF_ROLES)
      byRole.set(role, await asRole(h, await signedIn(h, { name: `Walk ${role}` }), role));
  });
  after(async () => {
    await app?.close();
    await h.close();
  });

  /** The account's session in a browser over the walk's app, with a CSRF token from one of its own pages. */
  async function browserOf(account: Account): Promise<{ b: Browser; csrf: string }> {
    const b = new Browser(app, account.b.ip);
    for (const part of account.b.cookieHeader().split('; ')) {
      const [name, ...rest] = part.split('=');
      if (name) (b as unknown as { cookies: Map<string, string> }).cookies.set(name, rest.join('='));
    }
    const page = await b.get('/account/profile');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(csrf, `no form token for ${account.email}: ${page.statusCode}`);
    return { b, csrf };
  }

  /**
   * The answer's status, or a note when a 403 came from the request-forgery defence rather than the role check (then
   * the walk would prove nothing about the route).
   */
  async function call(who: { b: Browser; csrf: string }, route: Walked): Promise<number | string> {
    const url = route.url.replace(/:(\w+)/g, (_, name: string) => PARAMS[name] ?? ANY_ID);
    let res;
    if (route.url.startsWith('/api/')) {
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      res = await who.b.api(route.method as 'GET', url, body, { 'x-csrf-token': who.csrf });
    } else if (route.method === 'GET') res = await who.b.get(url);
    else res = await who.b.post(url, { _csrf: who.csrf });
    if (res.statusCode === 403 && !/You are not allowed to do this|"forbidden"/.test(res.body))
      return `403 for another reason: ${res.body.slice(0, 200)}`;
    return res.statusCode;
  }

  test('the walk covers every console, with a fair number of routes', (t) => {
    const urls = new Set(routes.map((r) => r.url));
    t.diagnostic(`${routes.length} staff routes walked`);
    assert.ok(routes.length >= 25, `only ${routes.length} staff routes found`);
    for (const known of [
      '/staff',
      '/staff/orders',
      '/staff/orders/:id',
      '/staff/team',
      '/staff/mail',
      '/staff/products',
    ])
      assert.ok(urls.has(known), `${known} is not among the walked routes`);
    assert.ok(
      routes.some((r) => r.method === 'POST'),
      'POST routes are walked too',
    );
    const consoles = features.flatMap((f) => f.navigation ?? []).filter((n) => n.place === 'console');
    for (const c of consoles)
      assert.ok(
        [...urls].some((u) => under(u, c.href)),
        `no route of the console ${c.href} was walked`,
      );
    for (const r of routes)
      assert.ok(rolesOf(r.url), `${r.method} ${r.url}: no console link or EXPLICIT entry names its roles`);
  });

  test('a signed-in customer gets 403 on every staff route', async () => {
    const who = await browserOf(customer);
    const wrong: string[] = [];
    for (const route of routes) {
      const status = await call(who, route);
      if (status !== 403) wrong.push(`${route.method} ${route.url}: ${status}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('a member of staff whose role the console does not allow gets 403', async () => {
    const wrong: string[] = [];
    let walked = 0;
    for (const role of STAFF_ROLES) {
      const who = await browserOf(byRole.get(role)!);
      for (const route of routes) {
        if (rolesOf(route.url)?.includes(role)) continue;
        walked++;
        const status = await call(who, route);
        if (status !== 403) wrong.push(`${role}: ${route.method} ${route.url}: ${status}`);
      }
    }
    assert.deepEqual(wrong, []);
    // The DPO is kept out of orders and products, staff out of the team page: both kinds are in the walk.
    assert.ok(walked >= 10, `only ${walked} role-refused calls`);
  });
});
