import contextlib
import contextvars
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_cryptography.fields import encrypt

from privacy.history import HistoricalRecords
from privacy.phone_numbers import phone_normalise


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A customer or a member of staff. The e-mail is the login.

    The e-mail stays in plaintext because allauth looks accounts up by it; every
    other personal field is encrypted at rest.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = encrypt(models.CharField(_("first name"), max_length=150, blank=True))
    last_name = encrypt(models.CharField(_("last name"), max_length=150, blank=True))
    phone = encrypt(models.CharField(_("mobile phone"), max_length=32, blank=True))
    language = models.CharField(
        _("language"), max_length=8, default="en", choices=[("en", "English"), ("fr", "Français")]
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # When we e-mailed that the account would be closed for inactivity; a sign-in or an
    # order after it cancels it (see privacy.retention.inactivity).
    inactivity_notice_at = models.DateTimeField(
        _("told of closure for inactivity"), null=True, blank=True
    )
    # When the browser's Global Privacy Control signal first reached us while signed in
    # (and withdrew the consents it covers); later choices on the site stand.
    gpc_honoured_at = models.DateTimeField(
        _("Global Privacy Control honoured"), null=True, blank=True
    )

    objects = UserManager()
    # Staff edits to a customer's record are kept, encrypted like the live row.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    def clean(self):
        """The phone number is kept in E.164 (the admin goes through here)."""
        super().clean()
        try:
            self.phone = phone_normalise(self.phone)
        except ValidationError as error:
            # A number stored before numbers were checked, and not being changed now
            # (the admin shows it read-only), stays as it is: refusing it would make
            # every other change to the account impossible.
            stored = type(self).objects.filter(pk=self.pk).values_list("phone", flat=True)
            if self.pk is None or stored.first() != self.phone:
                raise ValidationError({"phone": error.messages}) from None

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class ConsentSource(models.TextChoices):
    SIGNUP = "signup", _("sign-up")
    DASHBOARD = "dashboard", _("account preferences")
    RECONSENT = "reconsent", _("new policy version")
    CHECKOUT = "checkout", _("checkout")
    UNSUBSCRIBE = "unsubscribe", _("unsubscribe link")
    COOKIE_BANNER = "cookie-banner", _("cookie banner")
    GPC = "gpc", _("Global Privacy Control signal from your browser")


class LedgerChangeRefused(Exception):
    """Raised when code tries to rewrite history in an append-only ledger."""


_erasure_depth = contextvars.ContextVar("privacy_erasure_depth", default=0)


@contextlib.contextmanager
def erasure():
    """The one context in which ledger rows may be deleted: erasing a customer's data."""
    token = _erasure_depth.set(_erasure_depth.get() + 1)
    try:
        yield
    finally:
        _erasure_depth.reset(token)


class LedgerQuerySet(models.QuerySet):
    """Append-only: no bulk update ever, bulk delete only inside ``erasure()``."""

    def update(self, **kwargs):
        raise LedgerChangeRefused(f"{self.model.__name__} rows are never updated.")

    def delete(self):
        if not _erasure_depth.get():
            raise LedgerChangeRefused(
                f"{self.model.__name__} rows are deleted only by erasure (privacy.models.erasure)."
            )
        return super().delete()

    delete.queryset_only = True


class LedgerModel(models.Model):
    objects = LedgerQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerChangeRefused(f"{type(self).__name__} rows are never updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not _erasure_depth.get():
            raise LedgerChangeRefused(
                f"{type(self).__name__} rows are deleted only by erasure (privacy.models.erasure)."
            )
        return super().delete(*args, **kwargs)


class ConsentRecord(LedgerModel):
    """One answer a customer gave to one consent purpose. The current state of a
    purpose is its latest row; earlier rows are the proof of what was agreed when.

    Rows are only ever added. They go only with the customer's erasure: inside
    ``erasure()``, or by deleting the user (the database cascade is the erasure).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(_("purpose"), max_length=32)
    granted = models.BooleanField(_("granted"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    policy_version = models.CharField(_("policy version"), max_length=16)
    source = models.CharField(_("source"), max_length=16, choices=ConsentSource.choices)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent ledger")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-created_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=ConsentSource.values), name="consent_source_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(purpose="") & ~models.Q(policy_version=""),
                name="consent_purpose_and_version_given",
            ),
        ]

    def __str__(self):
        state = _("granted") if self.granted else _("withdrawn")
        return f"{self.purpose}: {state}"

    @property
    def purpose_label(self):
        from privacy.policy import purpose_label

        return purpose_label(self.purpose)


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login-failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    PASSWORD_CHANGED = "password-changed", _("Password changed")
    PASSWORD_RESET = "password-reset", _("Password reset")
    EMAIL_CHANGED = "email-changed", _("E-mail address changed")
    MFA_ADDED = "mfa-added", _("Two-factor authentication added")
    MFA_REMOVED = "mfa-removed", _("Two-factor authentication removed")
    MFA_RESET = "mfa-reset", _("Recovery codes regenerated")
    NAME_CHANGED = "name-changed", _("Name changed")
    PHONE_CHANGED = "phone-changed", _("Mobile phone number changed")
    EXPORT = "export", _("Personal data downloaded")
    ACCOUNT_CLOSED = "account-closed", _("Account closed")
    STAFF_VIEW = "staff-view", _("A member of staff viewed your record")


# The events after which "not you? change your password" is the right advice: something
# done with the account's password. Not a sign-out, a failed attempt (the password held),
# a closure or a member of staff's view.
SECURITY_ADVICE_KINDS = frozenset(
    {
        SecurityEventKind.LOGIN,
        SecurityEventKind.PASSWORD_CHANGED,
        SecurityEventKind.PASSWORD_RESET,
        SecurityEventKind.EMAIL_CHANGED,
        SecurityEventKind.MFA_ADDED,
        SecurityEventKind.MFA_REMOVED,
        SecurityEventKind.MFA_RESET,
        SecurityEventKind.NAME_CHANGED,
        SecurityEventKind.PHONE_CHANGED,
        SecurityEventKind.EXPORT,
    }
)


class SecurityEvent(models.Model):
    """One security-relevant event on an account. IP, user agent and the e-mail typed
    in a failed sign-in are encrypted; the IP is shortened after 30 days."""

    kind = models.CharField(_("event"), max_length=24, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="security_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    attempted_email = encrypt(models.CharField(_("e-mail typed"), max_length=254, blank=True))
    ip_address = encrypt(models.CharField(_("IP address"), max_length=45, blank=True))
    ip_shortened = models.BooleanField(_("IP address shortened"), default=False)
    user_agent = encrypt(models.CharField(_("browser"), max_length=300, blank=True))
    detail = models.CharField(_("detail"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def calls_for_advice(self):
        """Whether "not you? change your password" applies to this event."""
        return self.kind in SECURITY_ADVICE_KINDS


class DisclosureOutcome(models.TextChoices):
    """What became of one hand-over to a processor (see privacy.disclosures)."""

    SENT = "sent", _("received")
    FAILED = "failed", _("failed, to be tried again")
    DEAD = "dead", _("failed, given up")


class Disclosure(LedgerModel):
    """One time we handed a customer's personal data to a processor (the review
    provider, a courier...), or tried to: who, which fields, to whom, when, on what
    basis, and what came of it (`outcome`, on which `attempt`).

    It names the fields, never their values. Append-only like the consent ledger; it
    appears in the customer's export and goes only with their erasure.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disclosures"
    )
    processor = models.CharField(_("processor"), max_length=32)
    purpose = models.CharField(_("purpose"), max_length=32)
    categories = models.JSONField(_("categories of data"), default=list, blank=True)
    fields = models.JSONField(_("fields disclosed"))
    reference = models.CharField(
        _("reference"), max_length=64, blank=True, help_text=_("e.g. the order number")
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=8,
        choices=DisclosureOutcome.choices,
        default=DisclosureOutcome.SENT,
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure ledger")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=DisclosureOutcome.values) & models.Q(attempt__gte=1),
                name="disclosure_outcome_known",
            )
        ]

    def __str__(self):
        return f"{self.processor}: {', '.join(self.fields)} ({self.outcome})"


class RetentionRunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    INTERRUPTED = "interrupted", _("interrupted")
    DRY_RUN = "dry-run", _("dry run")


class RetentionRun(models.Model):
    """One run of `manage.py retention`: when, with which clock, what it found and did.
    The Privacy Officer's proof that the schedule is applied. Holds no personal data.

    At most one run is ``running`` at a time (a partial unique constraint): that row is
    the lock that stops two runs overlapping."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    now = models.DateTimeField(_("applied as of"))
    applied = models.BooleanField(_("applied"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=RetentionRunStatus.choices, default="running"
    )
    rules = models.JSONField(_("rules and counts"), default=list)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="running"),
                name="retention_one_run_at_a_time",
            ),
        ]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class ErasureReceipt(models.Model):
    """Proof that an account was erased, holding no personal data: the hash of the
    verification code the customer received, the date, and what happened to each kind
    of data (deleted, anonymised, or kept until a date, and why)."""

    code_hash = models.CharField(_("verification code (hash)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("erased at"), default=timezone.now)
    language = models.CharField(_("language"), max_length=8, default="en")
    outcomes = models.JSONField(_("outcome per kind of data"))

    class Meta:
        verbose_name = _("erasure receipt")
        verbose_name_plural = _("erasure receipts")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.code_hash[:8]}…)"


class PrivacyRequestKind(models.TextChoices):
    QUESTION = "question", _("A question about my data")
    ACCESS = "access", _("Access: a copy of my data")
    RECTIFICATION = "rectification", _("Rectification: correct my data")
    ERASURE = "erasure", _("Erasure: delete my data")
    OBJECTION = "objection", _("Objection to a use of my data")
    MARKETING = "marketing", _("Stop marketing")
    COMPLAINT = "complaint", _("A complaint")


class PrivacyRequestStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Awaiting e-mail confirmation")
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class PrivacyRequest(models.Model):
    """A request to the Privacy Officer, from the contact form. It counts (and its
    one-month deadline runs) from the moment the sender's e-mail address is known to
    be theirs: at once when signed in, after the signed link otherwise."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_requests",
    )
    kind = models.CharField(_("request"), max_length=16, choices=PrivacyRequestKind.choices)
    email = encrypt(models.EmailField(_("e-mail address")))
    email_digest = models.CharField(max_length=64, db_index=True, editable=False)
    name = encrypt(models.CharField(_("name"), max_length=150, blank=True))
    message = encrypt(models.TextField(_("message")))
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PrivacyRequestStatus.choices,
        default=PrivacyRequestStatus.UNVERIFIED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    received_at = models.DateTimeField(_("received (verified)"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True, db_index=True)
    extended_reason = models.CharField(_("reason for extension"), max_length=300, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
        limit_choices_to={"is_staff": True},
    )
    notes = encrypt(models.TextField(_("staff notes"), blank=True))
    response = encrypt(models.TextField(_("our response"), blank=True))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["due_date", "-created_at"]

    def __str__(self):
        return self.reference


class Newsletter(models.Model):
    """A marketing e-mail written by staff in English and French."""

    subject_en = models.CharField(_("subject (English)"), max_length=150)
    body_en = models.TextField(_("text (English)"))
    subject_fr = models.CharField(_("subject (French)"), max_length=150)
    body_fr = models.TextField(_("text (French)"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject_en


class OutboxStatus(models.TextChoices):
    """Where a message of an outbox (e-mails, text messages) is: see privacy.outbox."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will retry")
    DEAD = "dead", _("Given up (re-send by hand)")


class OutboxMessage(models.Model):
    """What every outbox row keeps for delivery: its status (changed only through
    privacy.outbox), the attempts made, when the next one is due, when a worker
    claimed it, and its own key (an e-mail's Message-ID), the same on every attempt,
    so that a provider can recognise a message it has already taken."""

    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True


class OutgoingEmail(OutboxMessage):
    """An e-mail of the outbox. The task queue carries only this row's id; the
    recipient and what the message is about are encrypted here, and the message is
    written when the task runs. Once sent, its context is forgotten (the row stays,
    so that it is never sent twice); every row goes with the "outgoing-email"
    retention rule."""

    # The customer it is for, when it is one: their pending e-mails go with the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to = encrypt(models.EmailField(_("recipient")))
    template = models.CharField(_("template"), max_length=200)
    language = models.CharField(_("language"), max_length=8, default="en")
    # JSON: the template's context (rows by reference) and the e-mail's headers.
    payload = encrypt(models.TextField(_("context")))
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due")]

    def __str__(self):
        return f"{self.template} ({self.created_at:%Y-%m-%d %H:%M})"


class KeyCanary(models.Model):
    """A known value encrypted when the database was migrated (see privacy.canary):
    keys that cannot read it are the wrong keys, and nothing is written under them."""

    value = encrypt(models.CharField(max_length=40))

    class Meta:
        verbose_name = _("encryption key canary")
        verbose_name_plural = _("encryption key canaries")

    def __str__(self):
        return f"key canary {self.pk}"


class CacheEntry(models.Model):
    """The database cache's table (``createcachetable``), for retention only: expired
    rows stay until Django culls them, so retention deletes them (see
    privacy.personal_data). Keys are keyed hashes (privacy.cache_keys)."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "offtek_cache"
        verbose_name = _("cache entry")
        verbose_name_plural = _("cache entries")

    def __str__(self):
        return self.cache_key


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Being assessed")
    REPORTED = "reported", _("Reported to the regulator")
    NOT_REPORTABLE = "not-reportable", _("Not reportable (no risk to people)")
    CLOSED = "closed", _("Closed")


class BreachCustomerDecision(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    TELL = "tell", _("Tell the people affected")
    NO_NEED = "no-need", _("No need to tell them")


def breach_reference_new() -> str:
    return f"BR-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"


class PersonalDataBreach(models.Model):
    """An entry in the register of personal data breaches (UK GDPR article 33(5)).

    It describes an incident and counts the people affected; it names none of them,
    so it holds no customer's personal data. The 72-hour deadline to report it to the
    regulator runs from ``found_at``; the status moves only through
    ``privacy.records.breaches``. Once the breach is reported or judged not reportable,
    ``found_at`` and ``occurred_at`` (the facts the deadline rests on) are locked."""

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=breach_reference_new, editable=False
    )
    summary = models.CharField(
        _("what happened"),
        max_length=200,
        help_text=_("Describe the incident; do not name the people affected."),
    )
    description = models.TextField(_("details"), blank=True)
    categories = models.JSONField(_("categories of data"), default=list)
    subject_kinds = models.JSONField(_("categories of people"), default=list)
    subjects_affected = models.PositiveIntegerField(_("people affected (approximately)"), default=0)
    occurred_at = models.DateTimeField(_("happened"), null=True, blank=True)
    found_at = models.DateTimeField(_("found"), db_index=True)
    consequences = models.TextField(_("likely consequences"), blank=True)
    measures = models.TextField(_("measures taken or proposed"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BreachStatus.choices,
        default=BreachStatus.OPEN,
        db_index=True,
        editable=False,
    )
    reported_at = models.DateTimeField(_("reported to the regulator"), null=True, editable=False)
    authority_reference = models.CharField(
        _("regulator's reference"), max_length=60, blank=True, editable=False
    )
    # Article 33(1): a report made after the 72 hours says why it is late.
    late_reason = models.TextField(_("reason for the delay"), blank=True, editable=False)
    not_reportable_reason = models.TextField(
        _("why it need not be reported"), blank=True, editable=False
    )
    customer_decision = models.CharField(
        _("telling the people affected"),
        max_length=12,
        choices=BreachCustomerDecision.choices,
        default=BreachCustomerDecision.UNDECIDED,
        editable=False,
    )
    customer_decision_reason = models.TextField(_("reason"), blank=True, editable=False)
    customers_told_at = models.DateTimeField(_("people told"), null=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-found_at"]

    def __str__(self):
        return f"{self.reference}: {self.summary}"


class QueueWorker(models.Model):
    """A running task worker (``manage.py worker``), seen alive at ``seen_at``. A task
    claimed by a worker not seen for TASKS_WORKER_TIMEOUT seconds goes back to the queue
    (privacy.queue_worker). No one's data: ids and times."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return self.worker_id
