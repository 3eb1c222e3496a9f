"""Template tags for the privacy pages and the data export."""
