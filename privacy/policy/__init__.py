"""The privacy policy as data: what the shop collects, why, who processes it, for how long.

Everything the privacy and cookie pages say comes from here, and the code that enforces
the policy (consent ledger, cookie consent, retention, erasure) reads the same entries,
so the pages cannot promise what the code does not do. Labels are translatable.

Keys (``"contact"``, ``"orders"``, ``"tax-records"``...) are stable identifiers: they are
stored in the consent ledger and named by every app's ``personal_data.py``.

The registry is split by subject (parties, purposes, versions, retention, cookies);
import everything from ``privacy.policy``.
"""

from privacy.policy.cookies import COOKIE_CATEGORIES, Cookie, cookies
from privacy.policy.in_use import PolicyInUse, policy_in_use
from privacy.policy.parties import (
    BASES,
    CATEGORIES,
    COLLECTION_SOURCES,
    COMPLAINT_AUTHORITIES,
    COMPLAINTS,
    COMPLAINTS_FRANCE,
    PROCESSORS,
    DataCategory,
    LawfulBasis,
    Processor,
    complaint_authorities,
    controller,
    processors_in_use,
)
from privacy.policy.purposes import (
    GPC_WITHDRAWS,
    MARKETING_PURPOSES,
    OPERATIONS,
    OWN_DATA,
    PURPOSES,
    RETIRED_PURPOSES,
    Operation,
    Purpose,
    consent_purposes,
    purpose_label,
    purposes_in_use,
)
from privacy.policy.retention import (
    INACTIVE_CUSTOMER_MONTHS,
    RETENTION,
    Outcome,
    RetentionRule,
)
from privacy.policy.safeguards import (
    SECURITY_MEASURES,
    SUBJECTS,
    purpose_subjects,
)
from privacy.policy.versions import VERSIONS, PolicyVersion, version_current, versions_after

__all__ = [
    "OPERATIONS",
    "OWN_DATA",
    "Operation",
    "complaint_authorities",
    "Outcome",
    "BASES",
    "CATEGORIES",
    "COLLECTION_SOURCES",
    "COMPLAINTS",
    "COMPLAINTS_FRANCE",
    "COMPLAINT_AUTHORITIES",
    "COOKIE_CATEGORIES",
    "GPC_WITHDRAWS",
    "INACTIVE_CUSTOMER_MONTHS",
    "MARKETING_PURPOSES",
    "PROCESSORS",
    "PURPOSES",
    "RETENTION",
    "RETIRED_PURPOSES",
    "SECURITY_MEASURES",
    "SUBJECTS",
    "VERSIONS",
    "Cookie",
    "DataCategory",
    "LawfulBasis",
    "PolicyVersion",
    "Processor",
    "Purpose",
    "RetentionRule",
    "consent_purposes",
    "PolicyInUse",
    "policy_in_use",
    "controller",
    "processors_in_use",
    "purpose_label",
    "purposes_in_use",
    "cookies",
    "purpose_subjects",
    "version_current",
    "versions_after",
]
