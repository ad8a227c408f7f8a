// The platform's shared schemas: the error reply every API route may answer with, and paging.
// Each has a plain `$id` that is also its name under `components.schemas` in the OpenAPI document;
// routes point to them with the refs exported here (Fastify's ajv and serializer resolve them by `$id`).
import type { FastifyInstance } from 'fastify';
import Type, { type Static, type TSchema } from 'typebox';

/** What the error handler sends for every failed API request (see error-handler.ts). */
export const ErrorReply = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, machine-readable reason, e.g. "invalid_input" or "not_found".' }),
      message: Type.String({ description: "Explanation for people, in the request's language (English or German)." }),
      fields: Type.Optional(
        Type.Object(
          {},
          {
            additionalProperties: Type.String(),
            description: 'Per invalid field (dotted path): what is wrong with it.',
          },
        ),
      ),
      links: Type.Optional(
        Type.Object(
          {},
          {
            additionalProperties: Type.String(),
            description:
              'Related pages by relation, as absolute URLs; e.g. "review": where a person can be asked to review an automated decision.',
          },
        ),
      ),
    }),
  },
  { $id: 'Error', description: 'An error answer.' },
);
export type ErrorReply = Static<typeof ErrorReply>;

/** For a route's `response` map: `{ 400: errorRef, 404: errorRef }`. Typed as the reply it stands for. */
export const errorRef = Type.Unsafe<ErrorReply>(Type.Ref('Error'));

// Paging by limit and offset, as GET /api/v1/products does. Query values are text: ajv does not coerce them.
export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/** The query parameters of a paged list; spread them into the route's querystring schema. */
export const pageQuery = {
  limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: 'Items per page, 1 to 100.' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: 'Items to skip.' })),
};

/** The numbers of a paged list (what `pageQuery` asked for, and how many items there are in all). */
export const Page = Type.Object(
  {
    total: Type.Integer({ description: 'Items in all pages.' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { $id: 'Page', description: 'Where a page lies in a list.' },
);
export type Page = Static<typeof Page>;

/** One page of a list: `{ items, total, limit, offset }`. */
export const pageOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), ...Page.properties });

/** The limit and offset a paged request asked for (already checked by `pageQuery`), with defaults. */
export function pageFrom(query: { limit?: string | undefined; offset?: string | undefined }): {
  limit: number;
  offset: number;
} {
  return { limit: Number(query.limit ?? PAGE_LIMIT_DEFAULT), offset: Number(query.offset ?? 0) };
}

/** Shared schemas the platform brings; app.ts registers them with those of the modules above. */
export const platformSchemas: TSchema[] = [ErrorReply, Page];

const COMPONENT_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/**
 * Makes shared schemas known to every route (validation, serialization) and to the OpenAPI document.
 * Call it before any route is declared.
 */
export function registerSharedSchemas(app: FastifyInstance, schemas: readonly TSchema[]): void {
  for (const schema of schemas) {
    const id = (schema as { $id?: unknown }).$id;
    if (typeof id !== 'string' || !COMPONENT_NAME.test(id)) {
      throw new Error(`A shared schema needs a plain name as $id (letters, digits, ".", "_", "-"); got ${String(id)}`);
    }
    app.addSchema(schema);
  }
}
