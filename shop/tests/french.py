"""The French catalogue for tests: compiled from the committed .po (the .mo files are
not committed; `make` compiles them), then put first on LOCALE_PATHS. Changing
LOCALE_PATHS makes Django reload its translations."""

import shutil
import subprocess
from pathlib import Path

import pytest

FRENCH_PO = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def french_catalogue_compiled(*, settings, directory):
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (GNU gettext) is not installed")
    compiled = directory / "fr" / "LC_MESSAGES"
    compiled.mkdir(parents=True)
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(compiled / "django.mo"), str(FRENCH_PO)],  # noqa: S607
        check=True,
    )
    settings.LOCALE_PATHS = [directory, *settings.LOCALE_PATHS]
