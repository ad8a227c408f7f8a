// Contract: bad input to every API route (missing fields, wrong types, oversize bodies, malformed JSON,
// unknown fields, wrong media types, odd path parameters) gets a 4xx with a clear JSON message and changes
// nothing. The routes come from the OpenAPI document, so a new route is covered the day it is declared.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { BODY_LIMIT } from './app.ts';
import { listTables } from './platform/db/dialect.ts';
import { selectAllRows } from './privacy/retention.queries.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from './testing/harness.ts';

const NUM_RUNS = 15;
/** Caps a property's runs plus shrinking; a passing property needs a fraction of it, and running out counts as failing. */
const TIME_LIMIT_MS = 5_000;

// ---------------- the OpenAPI document, as far as this test reads it ----------------

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minProperties?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: unknown[];
  items?: JsonSchema;
  maxItems?: number;
  description?: string;
}

interface Operation {
  method: string;
  path: string;
  params: { name: string; schema: JsonSchema }[];
  body: JsonSchema | undefined;
}

/** Keywords the generators below understand; a schema using another one fails loudly instead of being half-tested. */
const SUPPORTED_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'pattern',
  'enum',
  'items',
  'maxItems',
  'description',
]);

function assertSupported(schema: JsonSchema, where: string): void {
  for (const key of Object.keys(schema)) {
    assert.ok(
      SUPPORTED_KEYWORDS.has(key),
      `${where}: schema keyword "${key}" is not understood by api.property.test.ts; teach the generators about it`,
    );
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) assertSupported(sub, `${where}.${name}`);
  if (schema.items) assertSupported(schema.items, `${where}[]`);
}

function operationsOf(doc: unknown): Operation[] {
  const paths = (doc as { paths?: Record<string, Record<string, unknown>> }).paths;
  assert.ok(paths && typeof paths === 'object', 'the OpenAPI document has no paths');
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as {
        parameters?: { name: string; in: string; schema?: JsonSchema }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      };
      const params = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => ({ name: p.name, schema: p.schema ?? {} }));
      for (const p of params) assertSupported(p.schema, `${method.toUpperCase()} ${path} {${p.name}}`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (op.requestBody)
        assert.ok(body, `${method.toUpperCase()} ${path}: requestBody without an application/json schema`);
      if (body) assertSupported(body, `${method.toUpperCase()} ${path} body`);
      ops.push({ method: method.toUpperCase(), path, params, body });
    }
  }
  return ops;
}

const takesBody = (op: Operation) => op.body !== undefined || !['GET', 'HEAD', 'OPTIONS'].includes(op.method);

/** The path with every parameter filled by a harmless sample value (for probes that aim at the body). */
function samplePath(op: Operation): string {
  // A parameter with a pattern gets a value of that shape, so that the probe reaches the body.
  const shaped: Record<string, string> = {
    '^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$': 'AAAAA-AAAAA-AAAAA-AAAAA',
    '^[a-z0-9-]+$': 'sample-slug',
  };
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const pattern = op.params.find((p) => p.name === name)?.schema.pattern;
    if (pattern === undefined) return 'sample-id';
    const value = shaped[pattern];
    assert.ok(value, `no sample value for path parameter pattern ${pattern}; add one to samplePath`);
    return value;
  });
}

// ---------------- generators ----------------

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;

function typesOf(schema: JsonSchema): string[] {
  if (schema.type === undefined) return [...JSON_TYPES];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function sampleOfType(type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return fc.string({ maxLength: 20 });
    case 'integer':
      return fc.integer();
    case 'number':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'object':
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 });
    case 'array':
      return fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { maxLength: 3 });
    default:
      throw new Error(`no sample for JSON type ${type}`);
  }
}

/** Text of min..max code points (a grapheme may be cut), built from a repeated chunk so that it shrinks in a few steps. */
function textOfLength(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })),
      fc.integer({ min, max }),
    )
    .map(([chunk, length]) => [...chunk.repeat(length)].slice(0, length).join(''));
}

const PASSWORD_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];

/**
 * Text the schema accepts. Fields named like an email address or a password mostly get realistic values,
 * so that a body with one thing wrong would otherwise get past the service's own checks too.
 */
function validText(schema: JsonSchema, name: string): fc.Arbitrary<string> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? min + 30;
  const fits = (v: string) => [...v].length >= min && [...v].length <= max;
  const random = fc.string({ minLength: min, maxLength: Math.min(max, min + 30) }).filter(fits);
  let realistic: fc.Arbitrary<string> | undefined;
  if (/email/i.test(name)) realistic = fc.emailAddress().filter(fits);
  else if (/password/i.test(name))
    realistic = fc.string({ unit: fc.constantFrom(...PASSWORD_CHARS), minLength: 12, maxLength: 40 }).filter(fits);
  return realistic ? fc.oneof({ arbitrary: realistic, weight: 3 }, { arbitrary: random, weight: 1 }) : random;
}

/** A value the schema accepts. */
function validValue(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  return fc.oneof(
    ...typesOf(schema).map((type) =>
      type === 'string'
        ? validText(schema, name)
        : type === 'object' && schema.properties
          ? validBody(schema)
          : type === 'array' && schema.items
            ? fc.array(validValue(schema.items, name), { maxLength: Math.min(schema.maxItems ?? 3, 3) })
            : type === 'integer' && (schema.minimum !== undefined || schema.maximum !== undefined)
              ? fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 })
              : sampleOfType(type),
    ),
  );
}

/** A value of a JSON type the schema does not allow. */
function wrongTypeValue(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const allowed = new Set(typesOf(schema));
  if (allowed.has('number') || allowed.has('integer')) allowed.add('number').add('integer');
  const wrong = JSON_TYPES.filter((t) => !allowed.has(t));
  return wrong.length ? fc.oneof(...wrong.map(sampleOfType)) : undefined;
}

/** A body the schema accepts: every required field, some optional ones, enough to satisfy minProperties. */
function validBody(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const required = schema.required ?? [];
  const optional = Object.keys(props).filter((k) => !required.includes(k));
  const minOptional = Math.min(optional.length, Math.max(0, (schema.minProperties ?? 0) - required.length));
  return fc.subarray(optional, { minLength: minOptional }).chain((chosen) => {
    const keys = [...required, ...chosen];
    return fc
      .tuple(...keys.map((k) => validValue(props[k] ?? {}, k)))
      .map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]])));
  });
}

/** One bad body: exactly one thing wrong, so the answer must name exactly that thing. */
interface BadBody {
  what: string;
  body: unknown;
  /** The field the message must name, when there is one. */
  field?: string;
}

/** The JSON parser refuses prototype-poisoning keys itself (answering malformed_json), before the schema looks. */
const poisonsPrototype = (json: string): boolean => /"(__proto__|constructor)"\s*:/.test(json);

const withKey = (body: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> => ({
  ...body,
  [key]: value,
});
const withoutKey = (body: Record<string, unknown>, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));

function badBodies(schema: JsonSchema): fc.Arbitrary<BadBody> {
  const props = schema.properties ?? {};
  const names = Object.keys(props);
  const base = validBody(schema);
  const cases: fc.Arbitrary<BadBody>[] = [];

  const required = schema.required ?? [];
  if (required.length) {
    cases.push(
      fc
        .tuple(base, fc.constantFrom(...required))
        .map(([b, field]) => ({ what: 'missing required field', body: withoutKey(b, field), field })),
    );
  }

  const typed = names.filter((n) => wrongTypeValue(props[n] ?? {}) !== undefined);
  if (typed.length) {
    cases.push(
      fc.tuple(base, fc.constantFrom(...typed)).chain(([b, field]) =>
        (wrongTypeValue(props[field] ?? {}) as fc.Arbitrary<unknown>).map((v) => ({
          what: 'wrong type',
          body: withKey(b, field, v),
          field,
        })),
      ),
    );
  }

  if (schema.additionalProperties === false) {
    const unknownKey = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'grapheme', maxLength: 10 }),
      // Names an attacker would try for mass assignment or prototype tricks.
      fc.constantFrom(
        'id',
        'role',
        'admin',
        'emailVerified',
        'email_verified',
        'password_hash',
        'userId',
        'createdAt',
        'constructor',
        'toString',
        '__proto__',
      ),
    );
    cases.push(
      fc
        .tuple(
          base,
          unknownKey.filter((k) => !names.includes(k)),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map(([b, field, v]) => ({ what: 'unknown field', body: withKey(b, field, v), field })),
    );
  }

  const limited = names.filter((n) => typesOf(props[n] ?? {}).includes('string') && props[n]?.maxLength !== undefined);
  if (limited.length) {
    cases.push(
      fc.tuple(base, fc.constantFrom(...limited)).chain(([b, field]) => {
        const max = props[field]?.maxLength ?? 0;
        return textOfLength(max + 1, max + 40).map((v) => ({
          what: `string over maxLength ${max}`,
          body: withKey(b, field, v),
          field,
        }));
      }),
    );
  }

  const shortable = names.filter((n) => typesOf(props[n] ?? {}).includes('string') && (props[n]?.minLength ?? 0) > 0);
  if (shortable.length) {
    cases.push(
      fc.tuple(base, fc.constantFrom(...shortable)).chain(([b, field]) => {
        const min = props[field]?.minLength ?? 1;
        return fc
          .string({ maxLength: min - 1 })
          .map((v) => ({ what: `string under minLength ${min}`, body: withKey(b, field, v), field }));
      }),
    );
  }

  const patterned = names.filter((n) => props[n]?.pattern !== undefined);
  if (patterned.length) {
    cases.push(
      fc.tuple(base, fc.constantFrom(...patterned)).chain(([b, field]) => {
        const re = new RegExp(props[field]?.pattern as string);
        return fc
          .string({ maxLength: 70 })
          .filter((v) => !re.test(v))
          .map((v) => ({ what: 'string not matching the pattern', body: withKey(b, field, v), field }));
      }),
    );
  }

  const bounded = names.filter(
    (n) =>
      typesOf(props[n] ?? {}).includes('integer') &&
      (props[n]?.minimum !== undefined || props[n]?.maximum !== undefined),
  );
  if (bounded.length) {
    cases.push(
      fc
        .tuple(base, fc.constantFrom(...bounded), fc.boolean(), fc.integer({ min: 1, max: 1_000_000 }))
        .map(([b, field, below, by]) => {
          const schema = props[field] ?? {};
          const value =
            below && schema.minimum !== undefined ? schema.minimum - by : (schema.maximum ?? schema.minimum ?? 0) + by;
          return { what: `integer out of range`, body: withKey(b, field, value), field };
        }),
    );
  }

  const enums = names.filter((n) => props[n]?.enum !== undefined);
  if (enums.length) {
    cases.push(
      fc.tuple(base, fc.constantFrom(...enums)).chain(([b, field]) =>
        fc
          .string({ maxLength: 12 })
          .filter((v) => !(props[field]?.enum ?? []).includes(v))
          .map((v) => ({ what: 'value outside enum', body: withKey(b, field, v), field })),
      ),
    );
  }

  if ((schema.minProperties ?? 0) > 0) cases.push(fc.constant({ what: 'too few properties', body: {} }));

  cases.push(
    fc
      .oneof(
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        fc.constant(null),
      )
      .map((body) => ({ what: 'not an object', body })),
  );

  return fc.oneof(...cases);
}

/**
 * A body the schema accepts except for a NUL character inside one text field. No text column can hold it
 * (PostgreSQL refuses it outright), so it is bad input however the schema is written. Password fields are
 * left alone: they are hashed, never stored or looked up.
 */
function bodiesWithNul(schema: JsonSchema): fc.Arbitrary<BadBody> | undefined {
  const props = schema.properties ?? {};
  const texts = Object.keys(props).filter(
    (n) =>
      typesOf(props[n] ?? {}).includes('string') &&
      !props[n]?.enum &&
      !/password/i.test(n) &&
      (props[n]?.maxLength ?? 1) >= 1,
  );
  if (!texts.length) return undefined;
  return fc.tuple(validBody(schema), fc.constantFrom(...texts)).chain(([b, field]) => {
    const fieldSchema = props[field] ?? {};
    const max = fieldSchema.maxLength ?? 100;
    return fc.tuple(validText(fieldSchema, field), fc.nat()).map(([text, at]) => {
      const chars = [...text].slice(0, max - 1);
      chars.splice(at % (chars.length + 1), 0, '\u0000');
      return { what: 'NUL character in a text field', body: withKey(b, field, chars.join('')), field };
    });
  });
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"a":}',
    "{'a': 1}",
    '{"a": 1,}',
    '[1, 2',
    '{"a": 1}}',
    'undefined',
    'NaN',
    '{a: 1}',
    '"unterminated',
    '\u0000',
  ),
  // Truncated JSON.
  fc
    .json({ maxDepth: 2 })
    .filter((j) => j.length > 1)
    .chain((j) => fc.integer({ min: 1, max: j.length - 1 }).map((n) => j.slice(0, n)))
    .filter((t) => !isJson(t)),
  // JSON followed by garbage.
  fc
    .tuple(fc.json({ maxDepth: 1 }), fc.constantFrom('}', ']', ',', 'x', ' {'))
    .map(([j, tail]) => j + tail)
    .filter((t) => !isJson(t)),
  // Arbitrary text.
  fc.string({ maxLength: 40 }).filter((t) => !isJson(t)),
);

/** Bodies just over the limit and well over it; the byte length is exactly `size`. */
const oversizeBody: fc.Arbitrary<{ size: number; payload: string }> = fc
  .oneof(fc.constant(BODY_LIMIT + 1), fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 4 }))
  .map((size) => ({ size, payload: `{"pad":"${'x'.repeat(size - 10)}"}` }));

interface MediaProbe {
  contentType: string | undefined;
  payload: string;
}

const WRONG_MEDIA_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=candor',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'application/jsonx',
  undefined,
];

/** Path parameter values, (URL-encoded) as a client would send them; two kinds, so one kind's bug does not hide the other's. */
const PATH_VALUES: Record<string, (schema: JsonSchema) => fc.Arbitrary<string>> = {
  'any short text': (schema) => {
    const max = Math.min(schema.maxLength ?? 30, 30);
    return fc
      .oneof(
        fc.string({ maxLength: max }),
        fc.string({ unit: 'grapheme', maxLength: Math.min(max, 10) }),
        fc
          .tuple(fc.string({ maxLength: Math.max(0, max - 1) }), fc.nat())
          .map(([text, at]) => `${text.slice(0, at % (text.length + 1))}\u0000${text.slice(at % (text.length + 1))}`),
        fc.constantFrom('.', '..', '/', ' ', '?', '#', '\u0000'),
      )
      .map(encodeURIComponent);
  },
  'text over maxLength or broken percent-encoding': (schema) => {
    const max = schema.maxLength ?? 64;
    return fc.oneof(
      textOfLength(max + 1, max + 40).map(encodeURIComponent),
      fc.constantFrom('%', '%FF', '%E0%A4%A', '%zz', '%C0%80', '%ED%A0%80'),
    );
  },
};

// ---------------- what every answer must look like ----------------

interface ApiError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

function describeResponse(res: LightMyRequestResponse): string {
  return `${res.statusCode} ${String(res.headers['content-type'])} ${res.body.slice(0, 300)}`;
}

/** 4xx, JSON, `{ error: { code, message } }` with a non-empty message. */
function assertClientError(res: LightMyRequestResponse, context: string): ApiError {
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${context}: expected a 4xx, got ${describeResponse(res)}`);
  assert.match(
    String(res.headers['content-type']),
    /^application\/json/,
    `${context}: the answer is not JSON: ${describeResponse(res)}`,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    assert.fail(`${context}: the answer does not parse as JSON: ${describeResponse(res)}`);
  }
  const error = (parsed as { error?: unknown } | null)?.error as Partial<ApiError> | undefined;
  assert.ok(error && typeof error === 'object', `${context}: no { error: {...} } object: ${describeResponse(res)}`);
  assert.equal(typeof error.code, 'string', `${context}: error.code is not a string: ${describeResponse(res)}`);
  assert.equal(typeof error.message, 'string', `${context}: error.message is not a string: ${describeResponse(res)}`);
  assert.ok((error.message ?? '').trim().length > 0, `${context}: error.message is empty: ${describeResponse(res)}`);
  return error as ApiError;
}

function assertError(res: LightMyRequestResponse, context: string, status: number, codes: string[]): ApiError {
  const error = assertClientError(res, context);
  assert.equal(res.statusCode, status, `${context}: expected ${status}, got ${describeResponse(res)}`);
  assert.ok(
    codes.includes(error.code),
    `${context}: expected code ${codes.join(' or ')}, got ${describeResponse(res)}`,
  );
  return error;
}

// ---------------- "no change": every table except the usage log ----------------

const TOUCHED_BY_EVERY_REQUEST: Record<string, string[]> = { sessions: ['last_seen_at', 'idle_expires_at', 'ip'] };

async function snapshot(h: Harness): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of await listTables(h.deps.db, h.deps.dbKind)) {
    if (table.startsWith('usage_log_d') || table.startsWith('usage_ip_d')) continue;
    const ignored = TOUCHED_BY_EVERY_REQUEST[table] ?? [];
    const rows = (await selectAllRows(h.deps.db, table)).map((row) =>
      Object.fromEntries(Object.entries(row).filter(([k]) => !ignored.includes(k))),
    );
    // PostgreSQL returns updated rows in a new physical order; the order is not the point.
    out[table] = rows
      .map((r) => [JSON.stringify(r), r] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
  }
  return out;
}

// ---------------- the suite ----------------

const PASSWORD = 'correct horse battery staple 42';

describeEachDatabase('API: bad input gets a clear 4xx and changes nothing', (db) => {
  let h: Harness;
  let ops: Operation[] = [];
  let callers: { name: string; browser: Browser }[] = [];

  before(async () => {
    h = await openHarness(db, { env: { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_AUTH_PER_MINUTE: '10000' } });
    const member = new Browser(h.app, '203.0.113.7');
    const registered = await member.api('POST', '/api/v1/accounts', {
      name: 'Erika Mustermann',
      email: 'erika@example.org',
      password: PASSWORD,
    });
    assert.equal(registered.statusCode, 202, registered.body);
    const signedIn = await member.api('POST', '/api/v1/sessions', { email: 'erika@example.org', password: PASSWORD });
    assert.equal(signedIn.statusCode, 201, signedIn.body);
    assert.equal((await member.api('GET', '/api/v1/me')).statusCode, 200, 'the member is signed in');
    callers = [
      { name: 'anonymous', browser: new Browser(h.app, '198.51.100.23') },
      { name: 'signed in', browser: member },
    ];
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200, res.body);
    ops = operationsOf(res.json());
  });

  after(async () => {
    await h?.close();
  });

  async function send(
    browser: Browser,
    method: string,
    url: string,
    payload: string | undefined,
    contentType: string | undefined,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return h.app.inject({
      method: method as 'GET',
      url,
      remoteAddress: browser.ip,
      headers: {
        ...browser.headers,
        accept: 'application/json',
        cookie: browser.cookieHeader(),
        ...(contentType ? { 'content-type': contentType } : {}),
        ...headers,
      },
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  /** Runs one property and checks that the database is the same afterwards. */
  async function unchanged<T>(
    property: fc.IAsyncPropertyWithHooks<[T]>,
    params: fc.Parameters<[T]> = {},
  ): Promise<void> {
    const before = await snapshot(h);
    await fc.assert(property, {
      numRuns: NUM_RUNS,
      interruptAfterTimeLimit: TIME_LIMIT_MS,
      markInterruptAsFailure: true,
      includeErrorInReport: true,
      ...params,
    });
    await h.deps.usageLog.flush();
    assert.deepStrictEqual(await snapshot(h), before, 'bad input changed the database');
  }

  test('the OpenAPI document describes operations, some with bodies and path parameters', () => {
    assert.ok(ops.length > 0, 'no operations');
    assert.ok(
      ops.some((op) => op.body),
      'no operation has a request body',
    );
    assert.ok(
      ops.some((op) => op.params.length),
      'no operation has a path parameter',
    );
  });

  test('every operation rejects bad input', async (t) => {
    for (const op of ops) {
      await t.test(`${op.method} ${op.path}`, async (t) => {
        const label = `${op.method} ${op.path}`;
        let probed = false;

        for (const { name: who, browser } of callers) {
          if (op.body) {
            probed = true;
            const schema = op.body;
            await t.test(`schema violations (${who})`, async () => {
              await unchanged(
                fc.asyncProperty(badBodies(schema), async (bad) => {
                  const context = `${label} as ${who}, ${bad.what}: ${JSON.stringify(bad.body)}`;
                  const payload = JSON.stringify(bad.body);
                  const res = await send(browser, op.method, samplePath(op), payload, 'application/json');
                  const error = assertError(res, context, 400, [
                    'invalid_input',
                    ...(poisonsPrototype(payload) ? ['malformed_json'] : []),
                  ]);
                  if (bad.field !== undefined && error.code === 'invalid_input') {
                    assert.ok(
                      error.message.includes(bad.field),
                      `${context}: the message does not name "${bad.field}": ${error.message}`,
                    );
                  }
                }),
              );
            });
          }

          const nulBodies = op.body ? bodiesWithNul(op.body) : undefined;
          if (nulBodies) {
            await t.test(`NUL character in a text field (${who})`, async () => {
              await unchanged(
                fc.asyncProperty(nulBodies, async (bad) => {
                  const res = await send(
                    browser,
                    op.method,
                    samplePath(op),
                    JSON.stringify(bad.body),
                    'application/json',
                  );
                  const context = `${label} as ${who}, NUL in "${String(bad.field)}": ${JSON.stringify(bad.body)}`;
                  const error = assertClientError(res, context);
                  if (bad.field !== undefined && error.code === 'invalid_input') {
                    assert.ok(
                      error.message.includes(bad.field),
                      `${context}: the message does not name "${bad.field}": ${error.message}`,
                    );
                  }
                }),
              );
            });
          }

          if (takesBody(op)) {
            probed = true;
            await t.test(`malformed JSON (${who})`, async () => {
              await unchanged(
                fc.asyncProperty(malformedJson, async (text) => {
                  const res = await send(browser, op.method, samplePath(op), text, 'application/json');
                  assertError(res, `${label} as ${who}, malformed JSON ${JSON.stringify(text)}`, 400, [
                    'malformed_json',
                  ]);
                }),
              );
            });

            await t.test(`body over ${BODY_LIMIT} bytes (${who})`, async () => {
              await unchanged(
                fc.asyncProperty(oversizeBody, async ({ size, payload }) => {
                  const res = await send(browser, op.method, samplePath(op), payload, 'application/json');
                  assertError(res, `${label} as ${who}, body of ${size} bytes`, 413, ['body_too_large']);
                }),
              );
            });

            await t.test(`body that is not application/json (${who})`, async () => {
              const media: fc.Arbitrary<MediaProbe> = fc.record({
                contentType: fc.constantFrom(...WRONG_MEDIA_TYPES),
                payload: fc.oneof(
                  op.body ? validBody(op.body).map((b) => JSON.stringify(b)) : fc.constant('{}'),
                  fc
                    .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), {
                      minKeys: 1,
                      maxKeys: 3,
                    })
                    .map((d) => new URLSearchParams(d).toString()),
                ),
              });
              await unchanged(
                fc.asyncProperty(media, async ({ contentType, payload }) => {
                  const res = await send(browser, op.method, samplePath(op), payload, contentType);
                  assertError(
                    res,
                    `${label} as ${who}, content-type ${String(contentType)}, body ${JSON.stringify(payload)}`,
                    415,
                    ['unsupported_media_type'],
                  );
                }),
                {
                  examples: [
                    [{ contentType: 'text/plain', payload: '{}' }],
                    [{ contentType: 'application/x-www-form-urlencoded', payload: 'name=x' }],
                    // A form body whose decoding yields a control character is still refused for its type first.
                    [{ contentType: 'application/x-www-form-urlencoded', payload: 'email=%00a' }],
                  ],
                },
              );
            });
          }

          if (op.params.length) {
            probed = true;
            const params = op.params;
            // A body-taking operation gets a valid body, so only the path is wrong.
            const body = op.body
              ? JSON.stringify(fc.sample(validBody(op.body), { numRuns: 1, seed: 1 })[0])
              : undefined;
            for (const [kind, pathValue] of Object.entries(PATH_VALUES)) {
              await t.test(`path parameters: ${kind} (${who})`, async () => {
                const values = fc.tuple(...params.map((p) => pathValue(p.schema)));
                await unchanged(
                  fc.asyncProperty(values, async (filled) => {
                    let url = op.path;
                    params.forEach((p, i) => {
                      url = url.replace(`{${p.name}}`, filled[i] ?? '');
                    });
                    const context = `${label} as ${who}: ${op.method} ${url}`;
                    const res = await send(
                      browser,
                      op.method,
                      url,
                      body,
                      body === undefined ? undefined : 'application/json',
                    );
                    const error = assertClientError(res, context);
                    if (error.code === 'invalid_input') {
                      assert.ok(
                        params.some((p) => error.message.includes(p.name)),
                        `${context}: the message does not name the parameter: ${error.message}`,
                      );
                    }
                  }),
                );
              });
            }
          }
        }

        if (!probed) t.diagnostic(`${label} declares no body and no path parameter: no input to get wrong`);
      });
    }
  });

  test('validation messages follow Accept-Language: German for a missing field', async () => {
    const op = ops.find((o) => (o.body?.required ?? []).length > 0);
    assert.ok(op?.body, 'no operation with a required body field');
    const field = op.body.required?.[0] ?? '';
    const body = withoutKey(fc.sample(validBody(op.body), { numRuns: 1, seed: 7 })[0] ?? {}, field);
    const browser = callers[0]?.browser ?? new Browser(h.app);
    const before = await snapshot(h);
    const de = await send(browser, op.method, samplePath(op), JSON.stringify(body), 'application/json', {
      'accept-language': 'de-DE,de;q=0.9,en;q=0.5',
    });
    const error = assertError(de, `${op.method} ${op.path} in German`, 400, ['invalid_input']);
    assert.match(error.message, /fehlt/, `not German: ${error.message}`);
    assert.ok(error.message.includes(field), `the German message does not name "${field}": ${error.message}`);
    const en = await send(browser, op.method, samplePath(op), JSON.stringify(body), 'application/json', {
      'accept-language': 'en',
    });
    assert.match(assertError(en, `${op.method} ${op.path} in English`, 400, ['invalid_input']).message, /missing/);
    assert.deepStrictEqual(await snapshot(h), before, 'bad input changed the database');
  });
});
