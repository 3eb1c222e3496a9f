"""The disclosure ledger, as the rights pages and older imports know it: the ledger
itself lives in ``privacy.disclosures`` (a leaf module, so that the e-mail task, which
writes to it once a message is sent, imports nothing that sends e-mail)."""

from privacy.disclosures import (
    FIELD_LABELS,
    disclosure_labels,
    disclosure_record,
    disclosures_for,
)

__all__ = ["FIELD_LABELS", "disclosure_labels", "disclosure_record", "disclosures_for"]
