"""Settings for the retention benchmark: the development settings without DEBUG, whose
query log (thousands of batched statements) would otherwise be measured as memory."""

from offtek.settings import *  # noqa: F403

DEBUG = False
