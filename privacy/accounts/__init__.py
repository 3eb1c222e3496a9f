"""Accounts: the user model's helpers, allauth's adapter and sign-up form, the account
dashboard's section registry, the account pages, staff roles and the security log."""
