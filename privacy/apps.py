from django.apps import AppConfig
from django.core.signals import got_request_exception, setting_changed
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

KEY_SETTINGS = {"SECRET_KEY", "CRYPTOGRAPHY_KEY", "CRYPTOGRAPHY_SALT"}


def _rebind_on_key_change(sender, setting, **kwargs):
    if setting in KEY_SETTINGS:
        from privacy.canary import encrypted_fields_rebind

        encrypted_fields_rebind()


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and accounts")

    def ready(self):
        from privacy import checks  # noqa: F401  (registers the checks)
        from privacy.accounts import receivers  # noqa: F401  (registers the receivers)
        from privacy.accounts.roles import on_post_migrate
        from privacy.canary import encrypted_fields_rebind, post_migrate_canary
        from privacy.middleware import remember_key_error

        # Every app's personal_data.py declares its models (see privacy.registry).
        autodiscover_modules("personal_data")
        setting_changed.connect(_rebind_on_key_change, dispatch_uid="privacy-key-rebind")
        got_request_exception.connect(remember_key_error, dispatch_uid="privacy-key-error")
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="privacy-staff-roles")
        post_migrate.connect(post_migrate_canary, sender=self, dispatch_uid="privacy-key-canary")
        # Every encrypted field encrypts behind the key canary (privacy.canary).
        encrypted_fields_rebind()
