import type { Gateway, Payment } from './gateway';

/** Refunds are charged with a key derived from the payment: retrying them is safe. */
export async function chargeRefundFee(gateway: Gateway, payment: Payment): Promise<void> {
  await gateway.charge(payment, { idempotencyKey: `refund-fee-${payment.id}` });
}
