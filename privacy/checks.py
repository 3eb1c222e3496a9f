from django.core import checks
from django.db import DatabaseError

from privacy.encryption import undecryptable_tables
from privacy.middleware import KEY_ERROR_MESSAGE


@checks.register(checks.Tags.database)
def encryption_keys_check(app_configs=None, databases=None, **kwargs):
    """``manage.py check --database default``: the configured keys open stored data."""
    if not databases:
        return []
    try:
        failing = undecryptable_tables()
    except DatabaseError:
        return []  # tables not created yet: nothing encrypted to check
    return [
        checks.Critical(
            f"{column}: {KEY_ERROR_MESSAGE}", obj="privacy.encryption", id="privacy.E001"
        )
        for column in failing
    ]
