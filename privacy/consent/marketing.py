"""Marketing e-mail: newsletters to customers who said yes, and one-click unsubscribe.

Each e-mail carries a signed token naming the customer and the consent row in force
when it was sent. Unsubscribing (a link, or the RFC 8058 one-click POST from the mail
client) withdraws marketing e-mail in the ledger only if that row is still the
customer's current answer: a forged token, a token already used, or one older than a
newer "yes" changes nothing.
"""

from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation

from privacy.consent.purposes import ConsentMissing, for_purpose
from privacy.consent.selectors import consent_needs_confirmation
from privacy.consent.services import consents_record
from privacy.emails import email_send
from privacy.models import ConsentRecord, ConsentSource, Newsletter, User

PURPOSE = "marketing-email"
UNSUBSCRIBE_SALT = "privacy.unsubscribe"


class UnsubscribeOutcome:
    DONE = "done"
    ALREADY = "already"
    INVALID = "invalid"


def unsubscribe_token(*, consent: ConsentRecord) -> str:
    return signing.dumps({"u": consent.user_id, "c": consent.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, consent: ConsentRecord, language: str) -> str:
    with translation.override(language):
        path = reverse("privacy:unsubscribe", kwargs={"token": unsubscribe_token(consent=consent)})
    return settings.SITE_URL.rstrip("/") + path


def marketing_recipients() -> list[ConsentRecord]:
    """The current marketing-email "yes" rows (one per customer), read from the
    ledger now, in one query."""
    latest = (
        ConsentRecord.objects.filter(user=OuterRef("user"), purpose=PURPOSE)
        .order_by("-created_at", "-id")
        .values("id")[:1]
    )
    rows = ConsentRecord.objects.filter(
        purpose=PURPOSE, id=Subquery(latest), granted=True, user__is_active=True
    ).select_related("user")
    return [row for row in rows if not consent_needs_confirmation(row)]


@transaction.atomic
def newsletter_send(*, newsletter: Newsletter) -> int:
    """Queue the newsletter to every customer whose ledger says yes now, in their
    language, each with their own unsubscribe link and headers. Sending twice is
    refused (returns 0)."""
    locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if locked.sent_at is not None:
        return 0
    recipients = marketing_recipients()
    for consent in recipients:
        language = consent.user.language if consent.user.language in ("en", "fr") else "en"
        transaction.on_commit(
            partial(_newsletter_email_send, newsletter=locked, consent=consent, language=language)
        )
    locked.sent_at = timezone.now()
    locked.recipients = len(recipients)
    locked.save(update_fields=["sent_at", "recipients"])
    return len(recipients)


def _newsletter_email_send(*, newsletter: Newsletter, consent: ConsentRecord, language) -> bool:
    """One customer's copy, if their latest answer is still yes when it is queued."""
    try:
        with for_purpose(PURPOSE, categories=["contact", "marketing"], user=consent.user):
            url = unsubscribe_url(consent=consent, language=language)
            email_send(
                to=consent.user.email,
                template="privacy/emails/newsletter",
                context={
                    "subject": getattr(newsletter, f"subject_{language}"),
                    "body": getattr(newsletter, f"body_{language}"),
                    "unsubscribe_url": url,
                },
                language=language,
                headers={
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
                user=consent.user,
                purpose=PURPOSE,
            )
    except ConsentMissing:
        return False  # withdrawn between the newsletter's send and this copy's
    return True


def unsubscribe_check(*, token: str) -> ConsentRecord | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return ConsentRecord.objects.select_related("user").get(
            pk=int(payload["c"]), user_id=int(payload["u"]), purpose=PURPOSE, granted=True
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, ConsentRecord.DoesNotExist):
        return None


@transaction.atomic
def unsubscribe_apply(*, token: str) -> str:
    """Withdraw marketing e-mail for the token's customer (source: unsubscribe)."""
    consent = unsubscribe_check(token=token)
    if consent is None:
        return UnsubscribeOutcome.INVALID
    User.objects.select_for_update().filter(pk=consent.user_id).first()
    latest = (
        ConsentRecord.objects.filter(user_id=consent.user_id, purpose=PURPOSE)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or latest.pk != consent.pk:
        return UnsubscribeOutcome.ALREADY
    consents_record(user=consent.user, choices={PURPOSE: False}, source=ConsentSource.UNSUBSCRIBE)
    return UnsubscribeOutcome.DONE
