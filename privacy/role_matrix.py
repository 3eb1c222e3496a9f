"""Who may do what in the staff admin: the role matrix, as data.

One row per admin model (and per model shown inline) and one per custom admin page.
For each role, the actions it may take (view, add, change, delete) and the fields it
may change (``ALL`` or a tuple of field names). A role that a row does not name has no
access. The admin enforces this table (privacy.admin_roles), the staff groups get
exactly the permissions it lists (privacy.accounts.roles), the README renders it
(``manage.py role_matrix``), and tests/security/test_role_matrix.py tries every cell
through HTTP. An admin page with no row here is refused to everyone, superusers too.

Each app declares its own rows (``declare``), from a module its AppConfig loads: the
privacy app's are here, the shop's in ``shop/staff_roles.py``. Privacy names no shop
model, page or path.
"""

from dataclasses import dataclass

# The staff groups (created by a data migration, permissions from this table).
SHOP_STAFF = "Shop staff"
PRIVACY_OFFICER = "Privacy Officer"
SUPERUSER = "Superuser"
STAFF_NO_GROUP = "Staff without a role"
CUSTOMER = "Customer"
# Every role the matrix knows, in the README's column order.
ROLES = (SUPERUSER, SHOP_STAFF, PRIVACY_OFFICER, STAFF_NO_GROUP, CUSTOMER)
STAFF = (SUPERUSER, SHOP_STAFF, PRIVACY_OFFICER, STAFF_NO_GROUP)

ALL = "all"
ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}


@dataclass(frozen=True)
class Grant:
    actions: frozenset = frozenset()
    fields: tuple | str = ()  # the fields it may change: ALL or names

    def allows(self, action: str) -> bool:
        return action in self.actions

    def may_change_field(self, name: str) -> bool:
        return "change" in self.actions and (self.fields == ALL or name in self.fields)

    def __or__(self, other: "Grant") -> "Grant":
        if ALL in (self.fields, other.fields):
            fields = ALL
        else:
            fields = tuple(dict.fromkeys((*self.fields, *other.fields)))
        return Grant(self.actions | other.actions, fields)


NO_ACCESS = Grant()


def grant(actions: str, fields: tuple | str = ()) -> Grant:
    """``grant("vc", ("notes",))``: view, and change the notes only."""
    return Grant(frozenset(ACTIONS[letter] for letter in actions), fields if "c" in actions else ())


READ = grant("v")
EVERYTHING = grant("vacd", ALL)
PRIVACY_REQUEST_WORK = ("assigned_to", "extended_reason", "notes", "response")
BREACH_DESCRIPTION = (
    "summary",
    "description",
    "categories",
    "subject_kinds",
    "subjects_affected",
    "occurred_at",
    "found_at",
    "consequences",
    "measures",
)

# model label -> role -> grant
MODELS: dict[str, dict[str, Grant]] = {
    # Accounts and privileges: only a superuser grants or changes them.
    "auth.group": {SUPERUSER: EVERYTHING},
    "privacy.user": {SUPERUSER: EVERYTHING, PRIVACY_OFFICER: READ},
    "account.emailaddress": {SUPERUSER: EVERYTHING},
    # Two-factor devices: a superuser removes a lost one; nobody writes one for another.
    "mfa.authenticator": {SUPERUSER: grant("vd")},
    # Privacy ledgers and the security log: read-only for everyone.
    "privacy.consentrecord": {SUPERUSER: READ, PRIVACY_OFFICER: READ},
    "privacy.disclosure": {SUPERUSER: READ, PRIVACY_OFFICER: READ},
    "privacy.retentionrun": {SUPERUSER: READ, PRIVACY_OFFICER: READ},
    "privacy.securityevent": {SUPERUSER: READ, PRIVACY_OFFICER: READ},
    "privacy.erasurereceipt": {SUPERUSER: READ, PRIVACY_OFFICER: READ},
    "privacy.privacyrequest": {
        SUPERUSER: grant("vcd", PRIVACY_REQUEST_WORK),
        PRIVACY_OFFICER: grant("vc", PRIVACY_REQUEST_WORK),
    },
    "privacy.newsletter": {SUPERUSER: EVERYTHING, PRIVACY_OFFICER: grant("vc", ALL)},
    # The breach register: described by hand, handled step by step (never deleted; the
    # status and dates only through the steps, so no revert from the history either).
    "privacy.personaldatabreach": {
        SUPERUSER: grant("vac", BREACH_DESCRIPTION),
        PRIVACY_OFFICER: grant("vac", BREACH_DESCRIPTION),
    },
    # The e-mail outbox: "change" is the right to re-send a dead message, nothing else.
    "privacy.outgoingemail": {
        SUPERUSER: grant("vc"),
        SHOP_STAFF: grant("vc"),
        PRIVACY_OFFICER: READ,
    },
    # The task queue: superusers look at failures.
    "django_tasks_database.dbtaskresult": {SUPERUSER: READ},
}

# Admin pages of their own (URL name -> roles that may open and submit them).
PRIVACY_WORK = frozenset({SUPERUSER, PRIVACY_OFFICER})
PAGES: dict[str, frozenset] = {
    "auth_user_password_change": frozenset({SUPERUSER}),
    "privacy_personaldatabreach_step": PRIVACY_WORK,
    "privacy_processing_record": PRIVACY_WORK,
    "privacy_processing_record_download": PRIVACY_WORK,
    # The site's own pages: sign-in for anyone, the rest for staff (their own password).
    "login": frozenset(ROLES),
    "logout": frozenset(ROLES),
    "index": frozenset(STAFF),
    "app_list": frozenset(STAFF),
    "password_change": frozenset(STAFF),
    "password_change_done": frozenset(STAFF),
    "autocomplete": frozenset(STAFF),
    "jsi18n": frozenset(STAFF),
    "view_on_site": frozenset(STAFF),
    # Any other address under the admin: "not found" for staff, the sign-in for others.
    "final_catch_all": frozenset(STAFF),
}

# Records about a person: staff opening one is written to that person's security log.
# model label -> the path from the record to the person ("" for the account itself).
PERSONAL_RECORDS = {
    "privacy.user": "",
    "privacy.privacyrequest": "user",
    "privacy.consentrecord": "user",
    "privacy.disclosure": "user",
    "privacy.securityevent": "user",
    "privacy.outgoingemail": "user",
    "account.emailaddress": "user",
}


# The purposes each role's admin pages (and the templates they render) act for: the
# personal fields those purposes may read open in the admin, nothing else does
# (privacy.purposes). A role that is not listed reads no personal field there.
ROLE_PURPOSES: dict[str, tuple[str, ...]] = {
    SUPERUSER: (
        "orders",
        "account",
        "customer-care",
        "fraud-prevention",
        "security-audit",
        "warranty",
        "tax-records",
    ),
    # Shop staff and the Privacy Officer open invoices and credit notes (tax records).
    SHOP_STAFF: ("orders", "fraud-prevention", "warranty", "customer-care", "tax-records"),
    PRIVACY_OFFICER: (
        "account",
        "customer-care",
        "security-audit",
        "orders",
        "warranty",
        "tax-records",
    ),
}


def purposes_of(user) -> tuple[str, ...]:
    """The purposes a staff member's roles act for in the admin."""
    found = [key for role in sorted(roles_of(user)) for key in ROLE_PURPOSES.get(role, ())]
    return tuple(dict.fromkeys(found))


def declare(*, models=None, pages=None, personal_records=None) -> None:
    """An app's rows of the matrix: ``models`` (label -> role -> grant), ``pages``
    (admin URL name -> roles) and ``personal_records`` (label -> path to the person)."""
    for table, rows in ((MODELS, models), (PAGES, pages), (PERSONAL_RECORDS, personal_records)):
        clash = sorted(set(rows or {}) & set(table))
        if clash:
            raise ValueError(f"Role matrix rows declared twice: {clash}")
        table.update(rows or {})


def roles_of(user) -> frozenset:
    """The matrix roles of a user (a staff member in two groups holds both)."""
    cached = getattr(user, "_matrix_roles", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        roles = frozenset()
    elif user.is_superuser:
        roles = frozenset({SUPERUSER})
    elif not user.is_staff:
        roles = frozenset({CUSTOMER})
    else:
        groups = set(user.groups.values_list("name", flat=True)) & set(ROLES)
        roles = frozenset(groups or {STAFF_NO_GROUP})
    user._matrix_roles = roles
    return roles


def grant_for(user, label: str) -> Grant:
    row = MODELS.get(label, {})
    combined = NO_ACCESS
    for role in roles_of(user):
        combined = combined | row.get(role, NO_ACCESS)
    return combined


def page_allowed(user, name: str) -> bool:
    return bool(roles_of(user) & PAGES.get(name, frozenset()))


def group_codenames(group_name: str) -> dict[str, set[str]]:
    """app label -> permission codenames a staff group holds, read off the matrix."""
    codenames: dict[str, set[str]] = {}
    for label, row in MODELS.items():
        app_label, model_name = label.split(".")
        for action in sorted(row.get(group_name, NO_ACCESS).actions):
            codenames.setdefault(app_label, set()).add(f"{action}_{model_name}")
    return codenames
