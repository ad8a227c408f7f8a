// Builds the OpenAPI 3.1 document from the schemas the API routes declare, so it cannot drift from them.
// Shared schemas (see schemas.ts) become `components.schemas`, and every `$ref` to one is rewritten into a JSON
// pointer there. The document is built when the app is ready, so a ref that leads nowhere fails at start (and in
// tests), never in front of a user. Route schemas are copied, never changed: Fastify keeps using them.
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, RouteOptions } from 'fastify';

type Json = Record<string, unknown>;

interface Collected {
  method: string;
  url: string;
  schema: Json;
  /** The shared schemas the route can see (its own context's and its parents'). */
  shared: Json;
}

const COMPONENT_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;
const COMPONENTS = '#/components/schemas/';

export function collectOpenApi(app: FastifyInstance, info: { title: string; version: string }): () => Json {
  const routes: Collected[] = [];
  app.addHook('onRoute', function (this: FastifyInstance, route: RouteOptions) {
    if (!route.url.startsWith('/api/v1/') || !route.schema) return;
    const shared = this.getSchemas();
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = route.schema as Json;
    for (const method of methods.filter((m) => m !== 'HEAD')) {
      routes.push({ method: method.toLowerCase(), url: route.url, schema, shared });
    }
  });
  let built: Json | undefined;
  app.addHook('onReady', async () => {
    built = buildOpenApi(routes, app.getSchemas(), info);
  });
  return () => (built ??= buildOpenApi(routes, app.getSchemas(), info));
}

export function buildOpenApi(routes: Collected[], rootShared: Json, info: { title: string; version: string }): Json {
  const shared = sharedSchemas(rootShared, routes);
  const refs = refResolver(shared);
  const schemas = Object.fromEntries(
    Object.entries(shared).map(([name, schema]) => {
      const { $id: _id, ...rest } = schema as Json;
      return [name, copy(rest, refs, `components.schemas.${name}`)];
    }),
  );
  const paths: Record<string, Json> = {};
  for (const { method, url, schema } of routes) {
    const path = url.replace(/:(\w+)(\([^)]*\))?/g, '{$1}');
    const where = `${method.toUpperCase()} ${url}`;
    const operation: Json = {
      ...pick(schema, ['operationId', 'summary', 'description', 'tags', 'deprecated']),
      parameters: parameters(schema, path, shared, refs, where),
      responses: responses(schema.response as Json | undefined, refs, where, 'Error' in shared),
    };
    if (schema.body) operation.requestBody = requestBody(schema.body as Json, refs, where);
    (paths[path] ??= {})[method] = operation;
  }
  return { openapi: '3.1.0', info, paths, components: { schemas } };
}

/** Shared schemas by name, from the root and from every route's context; one name must mean one schema. */
function sharedSchemas(rootShared: Json, routes: Collected[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const visible of [rootShared, ...routes.map((r) => r.shared)]) {
    for (const [id, schema] of Object.entries(visible)) {
      if (!COMPONENT_NAME.test(id)) continue; // Not nameable as a component: a ref to it fails below.
      const known = out[id];
      if (known && known !== schema && JSON.stringify(known) !== JSON.stringify(schema)) {
        throw new Error(`OpenAPI: two different shared schemas have the $id "${id}"`);
      }
      out[id] = schema as Json;
    }
  }
  return out;
}

type Resolve = (ref: string, where: string) => string;

/** Turns a ref Fastify understands ('Error', 'Error#', 'Error#/properties/error') into a pointer in the document. */
function refResolver(shared: Record<string, Json>): Resolve {
  return (ref, where) => {
    const hash = ref.indexOf('#');
    const name = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    const target = Object.hasOwn(shared, name) ? shared[name] : undefined;
    if (!target || (pointer !== '' && !pointer.startsWith('/')) || follow(target, pointer) === undefined) {
      throw new Error(`OpenAPI: ${where} refers to "${ref}", which is no shared schema (see registerSharedSchemas)`);
    }
    return `${COMPONENTS}${name}${pointer}`;
  };
}

function follow(schema: unknown, pointer: string): unknown {
  let node = schema;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

/** A deep copy of plain JSON (enumerable keys only: TypeBox's markers stay behind) with every `$ref` resolved. */
function copy(value: unknown, refs: Resolve, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => copy(v, refs, where));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string' ? refs(v, where) : copy(v, refs, where),
    ]),
  );
}

function pick(schema: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
}

const LOCATIONS = [
  ['path', 'params'],
  ['query', 'querystring'],
  ['header', 'headers'],
] as const;

/** Fastify's params, querystring and headers schemas, one OpenAPI parameter per property. */
function parameters(schema: Json, path: string, shared: Record<string, Json>, refs: Resolve, where: string): Json[] {
  const out: Json[] = [];
  for (const [location, key] of LOCATIONS) {
    const declared = schema[key] as Json | undefined;
    if (!declared) continue;
    // A shared schema as a whole parameter list: its properties become the parameters.
    const object =
      typeof declared.$ref === 'string'
        ? (follow(shared, `/${refs(declared.$ref, `${where} ${key}`).slice(COMPONENTS.length)}`) as Json)
        : declared;
    for (const combinator of ['anyOf', 'oneOf', 'allOf', 'patternProperties']) {
      if (combinator in object) throw new Error(`OpenAPI: ${where} ${key} uses ${combinator}; list plain properties`);
    }
    const required = (object.required as string[] | undefined) ?? [];
    for (const [name, property] of Object.entries((object.properties as Record<string, Json> | undefined) ?? {})) {
      const { description, ...rest } = property;
      out.push({
        name,
        in: location,
        required: location === 'path' || required.includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: copy(rest, refs, `${where} ${key}.${name}`),
      });
    }
  }
  // OpenAPI needs every {name} in the path declared, schema or not.
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    if (!out.some((p) => p.in === 'path' && p.name === name)) {
      out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
  }
  return out;
}

function requestBody(body: Json, refs: Resolve, where: string): Json {
  return { required: true, content: content(body, refs, `${where} body`) };
}

/** Fastify takes either one JSON schema or `{ content: { <media type>: { schema } } }`. */
function content(schema: Json, refs: Resolve, where: string): Json {
  if (isContentMap(schema)) {
    return Object.fromEntries(
      Object.entries(schema.content as Record<string, Json>).map(([type, media]) => [type, copy(media, refs, where)]),
    );
  }
  return { 'application/json': { schema: copy(schema, refs, where) } };
}

const isContentMap = (schema: Json) =>
  typeof schema.content === 'object' && schema.content !== null && schema.type === undefined && !schema.$ref;

/**
 * Any API request may also be refused with an error the route does not list (a body of the wrong type or size,
 * a malformed one, too many requests): with the shared error format known, every operation says so as `4XX`.
 */
const OTHER_REFUSALS = {
  description: 'Any other refusal (malformed or oversized input, wrong content type, too many requests)',
  $ref: 'Error',
};

function responses(declared: Json | undefined, refs: Resolve, where: string, errorShared = false): Json {
  const listed = declared ?? { 200: { description: 'OK' } };
  const withRefusals =
    errorShared && !('4XX' in listed) && !('4xx' in listed) ? { ...listed, '4XX': OTHER_REFUSALS } : listed;
  return Object.fromEntries(
    Object.entries(withRefusals).map(([status, s]) => {
      const code = /^[1-5]xx$/i.test(status) ? status.toUpperCase() : status;
      if (!/^([1-5]([0-9]{2}|XX)|default)$/.test(code)) throw new Error(`OpenAPI: ${where} answers "${status}"`);
      const schema = s as Json;
      const description =
        typeof schema.description === 'string' ? schema.description : (STATUS_CODES[code] ?? `HTTP ${code}`);
      // An answer without a body (204, or a schema that only allows null) has no content in OpenAPI.
      if (code === '204' || code === '304' || schema.type === 'null') return [code, { description }];
      return [code, { description, content: content(schema, refs, `${where} ${status}`) }];
    }),
  );
}
