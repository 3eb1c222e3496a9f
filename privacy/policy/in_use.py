"""The policy as the running configuration applies it: the processors the settings
send data to (``processors_in_use``), the purposes that exist with them and their
retention rules. The privacy page, the cookie page, the record of processing and the
data map all read this, so none of them names a service the shop does not use."""

from dataclasses import dataclass

from privacy.policy.parties import Processor, processors_in_use
from privacy.policy.purposes import Purpose, purposes_in_use
from privacy.policy.retention import RETENTION, RetentionRule


@dataclass(frozen=True)
class PolicyInUse:
    processors: dict[str, Processor]
    purposes: list[Purpose]
    retention: list[RetentionRule]

    def processors_of(self, purpose: Purpose) -> list[Processor]:
        return [self.processors[k] for k in purpose.processors if k in self.processors]

    def rules_of(self, purpose: Purpose) -> list[RetentionRule]:
        return [rule for rule in self.retention if rule.purpose == purpose.key]


def policy_in_use() -> PolicyInUse:
    processors = processors_in_use()
    purposes = purposes_in_use(processors)
    keys = {purpose.key for purpose in purposes}
    rules = [rule for rule in RETENTION.values() if rule.purpose in keys]
    return PolicyInUse(processors=processors, purposes=purposes, retention=rules)
