"""Orders: the order state machine (over privacy.lifecycle) and the stock an order
holds, the customer's order pages, order e-mails, the customer's language for an
order, the retention of tax records and the staff's sales statistics."""
