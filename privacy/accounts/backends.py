"""Authentication backends: Django's (staff, tests) and allauth's (customers), each
reading the signed-in person's row on every request with one statement prepared once,
which also says whether they have a verified e-mail address (checkout and the order
pages ask, `shop.orders.access`).

Django's `get_user` builds and compiles the same query on every request; the statement
here is compiled once per database (with a stand-in for the primary key) and run with
the request's key. The row is read as any other (its personal fields decrypted as the
model loads them, read under the purpose guard like every row), never kept between
requests.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connections, router
from django.db.models import Exists, OuterRef

STAND_IN_PK = -918_273_645  # no row has it: replaced by the request's key
_prepared: dict = {}


def _statement(model, alias: str) -> tuple[str, tuple, int]:
    """The SQL of "the user with this key, and whether they have a verified e-mail
    address", its parameters, and where the key goes in them."""
    key = (model, alias, connections[alias].vendor)
    if key not in _prepared:
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        query = (
            model._default_manager.filter(pk=STAND_IN_PK)
            .annotate(has_verified_email=Exists(verified))
            .query
        )
        sql, params = query.get_compiler(using=alias).as_sql()
        _prepared[key] = (sql, tuple(params), list(params).index(STAND_IN_PK))
    return _prepared[key]


def user_with_verified_flag(user_id):
    """The user with key `user_id` (None if there is none), `has_verified_email` set."""
    model = get_user_model()
    alias = router.db_for_read(model)
    sql, params, position = _statement(model, alias)
    params = list(params)
    params[position] = model._meta.pk.get_db_prep_value(user_id, connections[alias])
    found = list(model._default_manager.raw(sql, params, using=alias))
    return found[0] if found else None


class PreparedUserMixin:
    def get_user(self, user_id):
        user = user_with_verified_flag(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(PreparedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(PreparedUserMixin, AllauthBackend):
    pass
