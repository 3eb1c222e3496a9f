"""Purpose-bound access: code that uses personal data says for which purpose, and the
policy registry says whether it may.

Two forms of the same check:

- ``@uses_personal_data("statistics", categories=["transaction"])`` on a task, service or
  view: the purpose must be declared in ``privacy.policy.PURPOSES`` and the categories
  among its categories. It is checked when the module is imported, so a typo or a
  category the purpose does not cover fails at start-up. Purposes that rest on
  consent are refused here: a function cannot know each customer's answer.
- ``with for_purpose("marketing-email", categories=["contact"], user=customer):`` for one
  customer's data: the same check, and where the purpose's basis is consent, the
  customer's latest consent ledger row must say yes (``privacy.consent.selectors``);
  otherwise ``ConsentMissing`` is raised and the block does not run.

Both also make their purpose active while the function or block runs
(``privacy.purposes``): personal fields that the purpose may read open inside, and
only the customer's own rows when ``user=`` names them.

``tests/test_purpose_reads.py`` reads the source of ``shop`` and ``privacy`` and fails on
a read of a personal field outside these two forms (or an allow-listed module).
"""

import functools
from contextlib import contextmanager

from privacy import policy
from privacy.consent.selectors import consent_is_granted
from privacy.purposes import PurposeNotAllowed
from privacy.purposes import purpose as purpose_active

__all__ = ["ConsentMissing", "PurposeNotAllowed", "for_purpose", "uses_personal_data"]


class ConsentMissing(PurposeNotAllowed):
    """The purpose rests on consent and the customer's latest answer is not yes
    (never asked, withdrawn, or asked again after a policy change)."""


def purpose_check(purpose: str, *, categories=(), user=None) -> policy.Purpose:
    """The declared purpose, if ``categories`` of ``user``'s data may be used for it;
    raises ``PurposeNotAllowed`` (or ``ConsentMissing``) otherwise."""
    declared = policy.PURPOSES.get(purpose)
    if declared is None:
        raise PurposeNotAllowed(f"{purpose!r} is not a purpose of the privacy policy.")
    outside = [key for key in categories if key not in declared.categories]
    if outside:
        raise PurposeNotAllowed(
            f"The purpose {purpose!r} does not cover the data categories {outside}."
        )
    consent_needed = declared.basis == "consent" and user is not None
    if consent_needed and not consent_is_granted(user=user, purpose=purpose):
        raise ConsentMissing(f"Customer #{user.pk} has not agreed to {purpose!r}.")
    return declared


@contextmanager
def for_purpose(purpose: str, *, categories=(), user=None):
    """Use ``categories`` of ``user``'s personal data for ``purpose`` inside the block."""
    declared = purpose_check(purpose, categories=categories, user=user)
    if declared.basis == "consent" and user is None:
        raise ConsentMissing(f"{purpose!r} rests on consent: name the customer (user=).")
    with purpose_active(purpose, subject=user):
        yield declared


def uses_personal_data(purpose: str, *, categories):
    """Declare that the decorated function uses ``categories`` for ``purpose``."""
    declared = purpose_check(purpose, categories=categories)
    if declared.basis == "consent":
        # Each customer's answer is checked where their data is read.
        raise PurposeNotAllowed(
            f"{purpose!r} rests on consent: use for_purpose({purpose!r}, user=customer)."
        )

    def decorate(function):
        # Checked once, above: the registry does not change while the shop runs.
        @functools.wraps(function)
        def acting(*args, **kwargs):
            with purpose_active(purpose):
                return function(*args, **kwargs)

        acting.personal_data_purpose = (purpose, tuple(categories))
        return acting

    return decorate
