"""The shop's own date, time and number formats (FORMAT_MODULE_PATH).

The shop speaks British English under the ``en`` language code (its URLs are /en/),
so ``en`` here gives British formats: "1 December 2026", "16:46". French keeps
Django's French formats except where the shop wants the same shape in both
languages (a comma between date and time).
"""
