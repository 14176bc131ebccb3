export function notifyUser(customerId: string, message: string): void {
  void customerId;
  void message;
}
