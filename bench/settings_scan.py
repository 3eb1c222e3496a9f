"""Settings for the security scan only (bench/scan.py): the shop's production settings,
with the collected static files in the scan's temporary directory instead of the
checkout's staticfiles/ folder."""

import os
from pathlib import Path

from offtek.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["SCAN_STATIC_ROOT"])
