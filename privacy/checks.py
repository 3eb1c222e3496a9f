from django.core import checks
from django.db import DatabaseError

from privacy.canary import KEY_CANARY_MESSAGE, canary_opens
from privacy.encryption import key_material_current, undecryptable_tables
from privacy.middleware import KEY_ERROR_MESSAGE


@checks.register(checks.Tags.database)
def encryption_keys_check(app_configs=None, databases=None, **kwargs):
    """``manage.py check --database default``: the configured keys open the key canary
    and every encrypted value stored (all rows, in batches)."""
    if not databases:
        return []
    errors = []
    try:
        if canary_opens(key_material_current().cipher()) is False:
            errors.append(
                checks.Critical(KEY_CANARY_MESSAGE, obj="privacy.canary", id="privacy.E002")
            )
        failing = undecryptable_tables()
    except DatabaseError:
        return []  # tables not created yet: nothing encrypted to check
    return errors + [
        checks.Critical(
            f"{column}: {KEY_ERROR_MESSAGE}", obj="privacy.encryption", id="privacy.E001"
        )
        for column in failing
    ]
