import type { Payment } from './gateway';

export function markSuccess(payment: Payment): void {
  void payment;
}

export function markFailure(payment: Payment): void {
  void payment;
}

export function markAmbiguous(payment: Payment): void {
  void payment;
}
