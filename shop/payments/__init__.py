"""Payments: the gateways (Stripe, the simulator) and what they report, applied.

Payments flow one way. `base` is the contract and the plain results a gateway
returns; `stripe` and `simulator` talk to their provider and return those results,
never writing anything; `services` applies them under the payment's row lock through
`payment_transition`, the only writer of `Payment.status`; `refunds` records money
given back wherever the refund started; `review` holds the staff decisions on an order
held for review; `views` and `urls` are the provider's webhook and the simulator's
pages."""
