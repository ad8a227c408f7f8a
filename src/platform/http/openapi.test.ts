// The published OpenAPI document: a real OpenAPI 3.1 validator accepts it and every `$ref` in it resolves.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify from 'fastify';
import Type from 'typebox';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { collectOpenApi } from './openapi.ts';
import { shopSchemas as shop } from '../../testing/app.ts';

const { amountOfCents, postalAddressRef, priceRef, shopSchemas, totalRef } = shop;
import { errorRef, pageOf, platformSchemas, registerSharedSchemas } from './schemas.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every `$ref` in the document, with the JSON pointer of the object that holds it. */
function refsIn(value: Json, at = '#'): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refsIn(v, `${at}/${escape(key)}`),
  );
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Follows a local JSON pointer (`#/a/b`) through the document; undefined when it leads nowhere. */
function follow(doc: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(key)] : Object.hasOwn(node, key) ? node[key] : undefined;
  }
  return node;
}

describeEachDatabase('the OpenAPI document', (db) => {
  let h: Harness;
  let doc: { [key: string]: Json };

  before(async () => {
    h = await openHarness(db);
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200, res.body);
    doc = res.json();
  });
  after(() => h.close());

  test('an OpenAPI 3.1 validator accepts it', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.ok(result.valid, `invalid OpenAPI document: ${JSON.stringify(result.errors, null, 2)}`);
    assert.equal(validator.version, '3.1');
  });

  test('every $ref resolves inside the document', () => {
    const refs = refsIn(doc);
    assert.ok(refs.length > 0, 'the document has no $ref at all');
    const broken = refs.filter(({ ref }) => follow(doc, ref) === undefined);
    assert.deepEqual(broken, [], `unresolvable: ${broken.map(({ at, ref }) => `${ref} at ${at}`).join(', ')}`);
  });

  test('every operation documents its other refusals, and placing an order names its Idempotency-Key header', () => {
    type Op = { responses?: Record<string, Json>; parameters?: { name: string; in: string }[] };
    const paths = doc.paths as Record<string, Record<string, Op>>;
    const without = Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => ('4XX' in (op.responses ?? {}) ? [] : [`${method} ${path}`])),
    );
    assert.deepEqual(without, []);
    const order = paths['/api/v1/orders']?.post;
    assert.ok(order?.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'));
    assert.ok(paths['/api/v1/me/data-export']?.get?.responses?.['200'], 'the data export documents its answer');
  });

  test('4xx answers point to the shared error format', () => {
    const errorRef = '#/components/schemas/Error';
    const error = follow(doc, errorRef) as { properties?: { error?: unknown } } | undefined;
    assert.ok(error?.properties?.error, 'components.schemas.Error describes { error }');
    const uses = Object.entries(
      doc.paths as Record<string, Record<string, { responses?: Record<string, Json> }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        Object.entries(op.responses ?? {})
          .filter(([status, answer]) => status.startsWith('4') && refsIn(answer).some((r) => r.ref === errorRef))
          .map(([status]) => `${method} ${path} ${status}`),
      ),
    );
    assert.ok(uses.length > 0, 'no 4xx answer refers to the error component');
  });
});

/** A bare app with the platform's shared schemas and one API route, as buildApp wires them. */
async function documentOf(schema: Record<string, unknown>, extra: Record<string, unknown>[] = []) {
  const app = Fastify();
  registerSharedSchemas(app, platformSchemas);
  for (const s of extra) app.addSchema(s);
  const openApi = collectOpenApi(app, { title: 'test', version: '1' });
  app.post('/api/v1/things/:id', { schema }, async () => ({ name: 'x' }));
  try {
    await app.ready();
    return openApi();
  } finally {
    await app.close();
  }
}

test('refs in any form Fastify resolves become pointers, and the route schemas stay as they were', async () => {
  const schema = {
    params: Type.Object({ id: Type.String({ maxLength: 64, description: 'The thing.' }) }),
    body: Type.Object({ problem: Type.Ref('Error#/properties/error') }),
    response: { 200: Type.Object({ name: Type.String() }), 204: Type.Null(), 400: errorRef, '4xx': { $ref: 'Error#' } },
  };
  const before = JSON.stringify(schema);
  const doc = (await documentOf(schema)) as { paths: Record<string, Record<string, Record<string, Json>>> };
  assert.equal(JSON.stringify(schema), before, 'the route schema was changed');
  const op = doc.paths['/api/v1/things/{id}']!.post!;
  assert.deepEqual(op.parameters, [
    { name: 'id', in: 'path', required: true, description: 'The thing.', schema: { type: 'string', maxLength: 64 } },
  ]);
  assert.equal(refsIn(op.requestBody!)[0]?.ref, '#/components/schemas/Error/properties/error');
  const responses = op.responses as Record<string, { content?: Record<string, { schema: Json }> }>;
  assert.deepEqual(Object.keys(responses), ['200', '204', '400', '4XX']);
  assert.equal(responses['204']!.content, undefined, '204 has no content');
  assert.deepEqual(responses['400']!.content!['application/json']!.schema, { $ref: '#/components/schemas/Error' });
  assert.deepEqual(responses['4XX']!.content!['application/json']!.schema, { $ref: '#/components/schemas/Error' });
});

test('a ref the document cannot name fails when the app starts, though Fastify resolves it', async () => {
  // Fastify finds a schema by any $id; a component needs a plain name, so this one cannot be published.
  const extra = { $id: 'https://example.org/thing', type: 'object', properties: { name: { type: 'string' } } };
  await assert.rejects(
    documentOf({ response: { 200: { $ref: 'https://example.org/thing#' }, 400: errorRef } }, [extra]),
    /OpenAPI: POST \/api\/v1\/things\/:id 200 refers to "https:\/\/example.org\/thing#", which is no shared schema/,
  );
});

test('shared schemas check requests and shape answers at run time, by reference', async () => {
  const app = Fastify();
  registerSharedSchemas(app, [...platformSchemas, ...shopSchemas]);
  app.setErrorHandler((error, _request, reply) =>
    reply.code(400).send({ error: { code: 'invalid_input', message: String(error), fields: { a: 'b' }, stack: 'x' } }),
  );
  const body = Type.Object({ address: postalAddressRef });
  const answer = pageOf(Type.Object({ price: priceRef, total: totalRef }));
  app.post('/api/v1/check', { schema: { body, response: { 200: answer, 400: errorRef } } }, async () => ({
    items: [
      {
        price: { amount: amountOfCents(1990), currency: 'EUR', vatIncluded: true, vatRate: 19, secret: 1 },
        total: { amount: '19.90', currency: 'EUR', vatIncluded: '3.18' },
      },
    ],
    ...{ total: 1, limit: 20, offset: 0 },
  }));
  const address = { name: 'A', street: 'B 1', postalCode: '10115', city: 'Berlin', country: 'DE' };
  const ok = await app.inject({ method: 'POST', url: '/api/v1/check', payload: { address } });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), {
    items: [
      {
        price: { amount: '19.90', currency: 'EUR', vatIncluded: true, vatRate: 19 },
        total: { amount: '19.90', currency: 'EUR', vatIncluded: '3.18' },
      },
    ],
    total: 1,
    limit: 20,
    offset: 0,
  });
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/check',
    payload: { address: { ...address, country: 'DEU' } },
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().error.fields, { a: 'b' });
  assert.equal(bad.json().error.stack, undefined, 'the error schema shapes the answer');
  await app.close();
});
