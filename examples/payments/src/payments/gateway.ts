export interface Payment {
  id: string;
  customerId: string;
  amountCents: number;
}

export interface ChargeOptions {
  idempotencyKey: string;
}

export interface Gateway {
  charge(payment: Payment, options?: ChargeOptions): Promise<{ status: number; body: { status: string } }>;
}

export class TimeoutError extends Error {}
