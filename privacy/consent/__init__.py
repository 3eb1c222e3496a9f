"""Consent: the consent ledger's writes and reads, the cookie choice, marketing e-mail
(newsletters, one-click unsubscribe), and the privacy, cookie and preferences pages."""
