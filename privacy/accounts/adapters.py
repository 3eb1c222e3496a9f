from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from privacy.tasks import email_disclosure_record


class AccountAdapter(DefaultAccountAdapter):
    """Stores the language a customer signed up in, and writes e-mails in theirs."""

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or "en"
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
        if getattr(user, "pk", None) and user.email == email:
            # Sent (a failure raised above): the e-mail provider received the address.
            email_disclosure_record(user_id=user.pk, purpose="account")
