import { TimeoutError, type Gateway, type Payment } from './gateway';
import { notifyUser } from './notify';
import { markFailure, markSuccess } from './ledger';

const MAX_ATTEMPTS = 3;

/** Charges a payment, retrying on any failure. (This is the code of INC-2024-089.) */
export async function chargeWithRetry(gateway: Gateway, payment: Payment): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const response = await gateway.charge(payment);
      if (response.status === 200) {
        markSuccess(payment);
        return;
      }
      markFailure(payment);
    } catch (error) {
      if (error instanceof TimeoutError) {
        markFailure(payment);
      }
    }
    notifyUser(payment.customerId, `Payment attempt ${attempt} failed`);
  }
}
