// Runs a credit check through the configured agency and records what was sent, when, and the answer.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import type { CreditCheckAnswer, CreditCheckRequest } from './credit-agency.ts';
import { insertCreditCheck } from './credit.queries.ts';

export async function runCreditCheck(deps: Deps, userId: string, request: CreditCheckRequest): Promise<CreditCheckAnswer> {
  const requestedAt = deps.clock.now();
  const answer = await deps.creditAgency.check(request);
  await insertCreditCheck(deps.db, {
    id: randomUUID(),
    user_id: userId,
    agency: deps.creditAgency.name,
    sent: JSON.stringify(request),
    requested_at: requestedAt,
    decision: answer.decision,
    reason: answer.reason,
    answered_at: deps.clock.now(),
  });
  return answer;
}
