// The shapes of the accounts API. Request constraints are exactly those the API has always checked (the
// error answers depend on them); nullable fields keep their `type: ['string', 'null']` form for that reason.
import Type from 'typebox';
import type { Lang } from '../../platform/i18n.ts';

export const str = (maxLength: number, minLength = 0) => Type.String({ maxLength, minLength });
export const nullableStr = (maxLength: number) => Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength });
export const LangField = Type.Unsafe<Lang>({ type: 'string', enum: ['en', 'de'] });
const nullableText = Type.Unsafe<string | null>({ type: ['string', 'null'] });

export const User = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  emailVerified: Type.Boolean(),
  company: nullableText,
  phone: nullableText,
  lang: Type.String(),
  role: Type.String(),
  createdAt: Type.String(),
});

export const Session = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  remember: Type.Boolean(),
  device: nullableText,
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
});

/** A 204 answer: Fastify sends no body, so the handler sends nothing (`reply.code(204).send()`). */
export const NoContent = Type.Unsafe<void>({ type: 'null', description: 'No content' });
export const Accepted = Type.Object({ status: Type.String() });
export const TokenBody = Type.Object({ token: str(100, 1) }, { additionalProperties: false });
