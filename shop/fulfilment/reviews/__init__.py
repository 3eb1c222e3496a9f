"""Review invitations after delivery, with consent, through a pluggable provider."""
