"""Management commands of the privacy app."""
