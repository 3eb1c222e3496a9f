"""French formats; only what differs from Django's own French module is set."""

DATE_FORMAT = "j F Y"  # 1 décembre 2026
TIME_FORMAT = "H:i"  # 16:46
DATETIME_FORMAT = "j F Y, H:i"  # 1 décembre 2026, 16:46
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
