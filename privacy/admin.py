"""The privacy app's admin, registered group by group: each group keeps its own
``admin.py`` and Django's autodiscovery finds this module, which loads them all."""

from privacy import outbox_admin
from privacy.accounts import admin as accounts_admin
from privacy.consent import admin as consent_admin
from privacy.records import admin as records_admin
from privacy.retention import admin as retention_admin
from privacy.rights import admin as rights_admin

__all__ = [
    "outbox_admin",
    "accounts_admin",
    "consent_admin",
    "records_admin",
    "retention_admin",
    "rights_admin",
]
