// Builds the OpenAPI 3.1 document from the schemas the API routes declare, so it cannot drift from them.
import type { FastifyInstance, RouteOptions } from 'fastify';

interface Collected {
  method: string;
  url: string;
  schema: Record<string, unknown>;
}

export function collectOpenApi(app: FastifyInstance, info: { title: string; version: string }): () => Record<string, unknown> {
  const routes: Collected[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/v1/') || !route.schema) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') routes.push({ method: method.toLowerCase(), url: route.url, schema: route.schema as Record<string, unknown> });
  });
  let cached: Record<string, unknown> | undefined;
  return () => (cached ??= build(routes, info));
}

function build(routes: Collected[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, schema } of routes) {
    const path = url.replace(/:(\w+)/g, '{$1}');
    const params = schema.params as { properties?: Record<string, unknown> } | undefined;
    const query = schema.querystring as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    const operation: Record<string, unknown> = {
      summary: schema.summary,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      tags: schema.tags,
      parameters: [
        ...Object.entries(params?.properties ?? {}).map(([name, s]) => ({ name, in: 'path', required: true, schema: s })),
        ...Object.entries(query?.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema: s })),
      ],
      responses: Object.fromEntries(
        Object.entries((schema.response as Record<string, unknown> | undefined) ?? { 200: {} }).map(([status, s]) => [
          status,
          { description: (s as { description?: string }).description ?? `HTTP ${status}`, content: { 'application/json': { schema: s } } },
        ]),
      ),
    };
    if (schema.body) operation.requestBody = { required: true, content: { 'application/json': { schema: schema.body } } };
    (paths[path] ??= {})[method] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
        },
      },
    },
  };
}
