"""Nightly job: charges overdue invoices and reminds customers."""

from payments import gateway, reminders


def charge_overdue(invoices):
    for invoice in invoices:
        payment = invoice.to_payment()
        gateway.charge(payment)
        reminders.send(invoice.customer_id)
