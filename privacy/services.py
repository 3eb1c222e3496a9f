from django.conf import settings

from privacy.models import User


def user_language_set(*, user: User, language: str) -> bool:
    """Store the customer's language for the messages we send them. Unknown codes
    are ignored."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True
