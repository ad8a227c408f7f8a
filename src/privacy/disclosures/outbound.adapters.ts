// The adapters of outside companies, each wrapped so that every method passes the outbound gate (outbound.ts). The
// composition root wraps them once (src/composition.ts), so a feature only ever holds the gated adapter; it names
// the activity and recipient each adapter answers to in the data map.
import type { Deps } from '../../deps.ts';
import type { Mailer, OutgoingMail } from '../../platform/email/mailer.ts';
import type { CreditAgency } from '../../shop/credit-agency.ts';
import type { PaymentProvider } from '../../shop/payment-provider.ts';
import { passOutbound } from './outbound.ts';

type GateDeps = Pick<Deps, 'db' | 'clock' | 'dataMap'>;

/** The data map's activity and recipient an adapter's calls are disclosures under. */
export interface Declared {
  activity: string;
  recipient: string;
}

/** Every check sends the request as it is; the person is the account the order belongs to. */
export function gateCreditAgency(deps: GateDeps, agency: CreditAgency, declared: Declared): CreditAgency {
  return {
    name: agency.name,
    company: agency.company,
    check: (request, about) =>
      passOutbound(deps, { ...declared, person: { userId: about.userId }, payload: { ...request } }, () =>
        agency.check(request, about),
      ),
  };
}

/**
 * A charge and a hosted payment carry the account id as the customer reference: that is the person. A lookup
 * (`findCharge`) sends only our order key of a charge or payment page already recorded, and a refund only the
 * provider's own charge reference and the charged amount back: both are checked against the declared fields but not
 * recorded as new disclosures (decision 0027), so that the reconcile job's polling writes nothing.
 */
export function gatePaymentProvider(deps: GateDeps, provider: PaymentProvider, declared: Declared): PaymentProvider {
  const about = (customerRef: string) => ({ userId: customerRef });
  return {
    id: provider.id,
    name: provider.name,
    company: provider.company,
    testMode: provider.testMode,
    startHostedPayment: (request) =>
      passOutbound(deps, { ...declared, person: about(request.customerRef), payload: { ...request } }, () =>
        provider.startHostedPayment(request),
      ),
    charge: (request) =>
      passOutbound(deps, { ...declared, person: about(request.customerRef), payload: { ...request } }, () =>
        provider.charge(request),
      ),
    findCharge: (idempotencyKey) =>
      passOutbound(deps, { ...declared, payload: { idempotencyKey }, record: 'check-only' }, () =>
        provider.findCharge(idempotencyKey),
      ),
    refund: (reference, amountCents, idempotencyKey) =>
      passOutbound(
        deps,
        { ...declared, payload: { reference, amountCents, idempotencyKey }, record: 'check-only' },
        () => provider.refund(reference, amountCents, idempotencyKey),
      ),
  };
}

/**
 * Every mail: the person is the address it goes to. A retried delivery sends the same outbox message again, so the
 * disclosure is recorded once per message (keyed by its id). The file sink of development (kind 'file') keeps the
 * message on our own disk: checked all the same, but nothing left us, so nothing is recorded.
 */
export function gateMailer(deps: GateDeps, mailer: Mailer, declared: Declared): Mailer {
  return {
    kind: mailer.kind,
    send: (mail: OutgoingMail) =>
      passOutbound(
        deps,
        {
          ...declared,
          person: { email: mail.to },
          payload: { ...mail },
          record: mailer.kind === 'file' ? 'local' : 'record',
          once: mail.id,
        },
        () => mailer.send(mail),
      ),
    close: () => mailer.close(),
  };
}
