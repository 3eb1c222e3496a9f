from dataclasses import dataclass

from shop.fulfilment.sms.base import SmsBackend, SmsError


@dataclass
class SentSms:
    to: str
    body: str
    reference: str
    key: str = ""


class MemorySmsBackend(SmsBackend):
    """Tests: keeps sent messages in `outbox`; set `failures` to N to refuse the next
    N sends, as an unreachable provider would."""

    name = "memory"
    outbox: list[SentSms] = []
    failures: int = 0

    @classmethod
    def reset(cls) -> None:
        cls.outbox = []
        cls.failures = 0

    def send(self, *, to: str, body: str, key: str = "") -> str:
        if MemorySmsBackend.failures > 0:
            MemorySmsBackend.failures -= 1
            raise SmsError("memory backend: refused on purpose")
        reference = f"mem-{len(MemorySmsBackend.outbox) + 1}"
        MemorySmsBackend.outbox.append(SentSms(to=to, body=body, reference=reference, key=key))
        return reference
