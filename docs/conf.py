"""Sphinx configuration for Offtek's documentation (``make docs``; warnings are errors)."""

project = "Offtek"
author = "Offtek"
copyright = "2026, Offtek"  # noqa: A001 - Sphinx's name for it
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
html_theme_options = {"description": "A memory shop whose privacy policy is code"}
