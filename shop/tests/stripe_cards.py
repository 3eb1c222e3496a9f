"""Stripe's test payment methods, as the fake knows them: what confirming with each
does and what the card's checks and risk report."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TestCard:
    """One of Stripe's test payment methods and what confirming with it does."""

    brand: str
    last4: str
    country: str = "US"
    cvc_check: str = "pass"
    postcode_check: str = "pass"
    risk_level: str = "normal"
    outcome: str = "succeeded"  # or requires_action, processing, decline:<code>
    after_action: str = "succeeded"  # after 3-D Secure approved: succeeded or decline:<code>
    refund_fails: bool = False  # refunds succeed, then fail later (pm_card_refundFail)


TEST_CARDS = {
    "pm_card_visa": TestCard("visa", "4242"),
    "pm_card_mastercard": TestCard("mastercard", "4444"),
    "pm_card_gb": TestCard("visa", "0000", country="GB"),
    "pm_card_fr": TestCard("visa", "0003", country="FR"),
    "pm_card_threeDSecure2Required": TestCard("visa", "3155", outcome="requires_action"),
    "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds": TestCard(
        "visa", "3178", outcome="requires_action", after_action="decline:insufficient_funds"
    ),
    "pm_card_chargeDeclined": TestCard("visa", "0002", outcome="decline:generic_decline"),
    "pm_card_chargeDeclinedInsufficientFunds": TestCard(
        "visa", "9995", outcome="decline:insufficient_funds"
    ),
    "pm_card_cvcCheckFail": TestCard("visa", "0101", cvc_check="fail"),
    "pm_card_avsZipFail": TestCard("visa", "0036", postcode_check="fail"),
    "pm_card_riskLevelElevated": TestCard("visa", "9235", risk_level="elevated"),
    "pm_card_refundFail": TestCard("visa", "5126", refund_fails=True),
    # A payment that stays `processing` until the fake settles it (as bank debits do).
    "pm_card_gb_processing": TestCard("visa", "0000", country="GB", outcome="processing"),
}

DECLINE_MESSAGES = {
    "generic_decline": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
}
