import secrets
import sys

from shop.fulfilment.sms.base import SmsBackend


class ConsoleSmsBackend(SmsBackend):
    """Development: writes each message to standard output."""

    name = "console"

    def send(self, *, to: str, body: str, key: str = "") -> str:
        reference = f"console-{secrets.token_hex(4)}"
        sys.stdout.write(f"SMS to {to} ({reference}):\n{body}\n\n")
        return reference
