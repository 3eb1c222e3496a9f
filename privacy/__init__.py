"""The privacy app: accounts and the privacy policy as code. Privacy never imports shop.

At the top: the policy registry (``policy/``), the personal-data declarations
(``registry``, this app's own in ``personal_data``), field encryption, history,
the shared state-machine skeleton (``lifecycle``), calendar months for legal periods
(``calendar``), models, checks, middleware, e-mail sending, URLs and the admin loader.
By what they do: ``accounts/`` (users, sign-up, dashboard, security log, staff roles),
``consent/`` (consent ledger, cookie choice, marketing e-mail, policy pages),
``rights/`` (export, erasure and receipts, Privacy Officer requests, disclosures) and
``retention/`` (the retention schedule's jobs and runs, inactive accounts).
"""
