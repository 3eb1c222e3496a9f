"""Tests of the privacy app, grouped by feature."""
