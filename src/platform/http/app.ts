// The Fastify instance every route is declared on: route schemas are TypeBox schemas, so a handler's body,
// params, query and reply are typed from the one schema that also validates them and documents the API.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import fp from 'fastify-plugin';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export function typed(app: FastifyInstance): App {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

/**
 * Hooks and request decorations that every route needs (the session, the language, consent, the usage log).
 * They are registered before any route group, under a name, and say which other global plugins they need:
 * registering one before what it needs fails at start with a message naming the missing plugin.
 */
export interface GlobalPlugin<Ctx> {
  name: string;
  needs: string[];
  register(app: App, ctx: Ctx): void | Promise<void>;
}

export function defineGlobalPlugin<Ctx>(plugin: GlobalPlugin<Ctx>): GlobalPlugin<Ctx> {
  return plugin;
}

export async function registerGlobal<Ctx>(app: FastifyInstance, plugin: GlobalPlugin<Ctx>, ctx: Ctx): Promise<void> {
  await app.register(
    fp(async (instance) => plugin.register(typed(instance), ctx), { name: plugin.name, dependencies: plugin.needs }),
  );
}
