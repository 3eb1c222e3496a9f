"""What the Privacy Officer keeps for the regulator, generated or recorded here: the
record of processing activities (UK GDPR article 30), built from the policy registry,
and the register of personal data breaches (article 33) with its 72-hour deadline."""
