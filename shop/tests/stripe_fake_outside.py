"""What happens to the fake Stripe's objects outside its API: the customer's browser
(Stripe.js confirming, the issuer's 3-D Secure page), the bank settling a processing
payment or a refund, staff working in Stripe's Dashboard. Tests call these directly;
they change the fake's state as Stripe would, and return objects as Stripe shapes them."""

import copy

from shop.tests import stripe_objects as so


class OutsideTheApi:
    """Mixed into FakeStripe, whose state (objects, cards, lock) and API handlers
    (_intent_confirm, _succeed, _decline, _refund_create...) it uses."""

    def confirm(self, intent_id: str, payment_method: str) -> dict:
        """What stripe.confirmPayment in the browser does; returns the intent."""
        with self.lock:
            self._intent_confirm(self.objects[intent_id], {"payment_method": payment_method})
            return copy.deepcopy(self.objects[intent_id])

    def authenticate(self, intent_id: str, *, approve: bool) -> dict:
        """What the issuer's 3-D Secure page does when the customer answers."""
        with self.lock:
            intent = self.objects[intent_id]
            assert intent["status"] == "requires_action"
            card = self.cards[intent_id]
            pm = self.objects[intent["payment_method"]]
            if not approve:
                intent.update(
                    status="requires_payment_method",
                    next_action=None,
                    payment_method=None,
                    last_payment_error=so.error_body(
                        "The provided PaymentMethod has failed authentication. You can provide "
                        "payment_method_data or a new PaymentMethod to attempt to fulfill this "
                        "PaymentIntent again.",
                        kind="invalid_request_error",
                        code="payment_intent_authentication_failure",
                        payment_method=copy.deepcopy(pm),
                    )["error"],
                )
            elif card.after_action.startswith("decline:"):
                self._decline(intent, pm, card, card.after_action.split(":", 1)[1])
            else:
                self._succeed(intent, pm, card)
            return copy.deepcopy(intent)

    def settle(self, intent_id: str, *, succeed: bool) -> dict:
        """A `processing` payment's outcome arrives from the bank."""
        with self.lock:
            intent = self.objects[intent_id]
            assert intent["status"] == "processing"
            pm = self.objects[intent["payment_method"]]
            card = self.cards[intent_id]
            if succeed:
                self._succeed(intent, pm, card)
            else:
                self._decline(intent, pm, card, "insufficient_funds")
            return copy.deepcopy(intent)

    def refund_settle(self, refund_id: str, *, status: str, reason: str = "") -> dict:
        """A pending refund succeeds or fails (or a succeeded one fails later)."""
        with self.lock:
            re = self.objects[refund_id]
            re["status"] = status
            if status == "failed":
                re["failure_reason"] = reason or "expired_or_canceled_card"
                re["failure_balance_transaction"] = so.new_id("txn")
            self._charge_refunded_update(self.objects[re["charge"]])
            return copy.deepcopy(re)

    def refund_dashboard(self, intent_id: str, amount: int) -> dict:
        """Staff refund in Stripe's Dashboard: Stripe's API, not ours."""
        status, body = self._refund_create({"payment_intent": intent_id, "amount": str(amount)})
        assert status == 200, body
        return body

    def intent(self, intent_id: str) -> dict:
        return copy.deepcopy(self.objects[intent_id])

    def charge_for(self, intent_id: str) -> dict:
        """The intent's latest charge as Stripe sends it (no refunds list)."""
        return copy.deepcopy(self.objects[self.objects[intent_id]["latest_charge"]])

    def refunds_for(self, intent_id: str) -> list[dict]:
        return [
            copy.deepcopy(r)
            for r in self.objects.values()
            if r["object"] == "refund" and r["payment_intent"] == intent_id
        ]

    def dispute_for(self, intent_id: str, reason: str = "fraudulent") -> dict:
        with self.lock:
            ch = self.objects[self.objects[intent_id]["latest_charge"]]
            ch["disputed"] = True
            dp = so.dispute(ch, reason)
            self.objects[dp["id"]] = dp
            return copy.deepcopy(dp)
