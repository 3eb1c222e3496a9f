"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offtek.settings")
application = get_asgi_application()

# Refuse to start under encryption keys that cannot read the data (privacy.canary).
from privacy.canary import canary_startup_check  # noqa: E402 - needs the apps loaded

canary_startup_check()
