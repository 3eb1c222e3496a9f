"""What ends a customer's kept pages (shop.customer_pages.store): any change to a row
that belongs to them.

Rows belong to a customer as the personal-data declarations say (each declared
model's ``owner`` path, privacy.registry), plus the shop's rows that hang from an
order and hold nothing personal (``UNDECLARED_OWNERS``). A save or a deletion of any
of them, and a bulk change announced by privacy's ``rows_changing`` (retention) or
made by the shop's own bulk writers (which call ``customer_pages_changed``), deletes
the customer's page token once the change commits: every page kept under it is then
unreadable, and the next one is rendered from the database.

The owner is found before the change commits (a deleted row's, before it goes), and
the token is deleted after the commit: a page rendered in between read the database
after its token was read, under a token the commit then deletes, so a page kept under
a live token never predates a committed change.
"""

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_save, pre_delete

from privacy import registry
from privacy.changes import announced, rows_changing
from shop.customer_pages.store import token_key
from shop.models import (
    BasketLine,
    DocumentLine,
    OrderEvent,
    OrderLine,
    PaymentEvent,
    Refund,
    SalesStatistics,
    WithdrawalLine,
)

UNDECLARED_OWNERS = {
    BasketLine: "basket__user",
    OrderLine: "order__user",
    SalesStatistics: "order__user",  # order lines, seen by the sales report
    OrderEvent: "order__user",
    PaymentEvent: "payment__order__user",
    Refund: "payment__order__user",
    WithdrawalLine: "withdrawal__order__user",
    DocumentLine: "document__order__user",
}


def owner_paths() -> dict:
    paths = {d.model: d.owner for d in registry.declarations()}
    paths.update(UNDECLARED_OWNERS)
    return paths


def _owner_pk(row, path: str):
    if path == "self":
        return row.pk
    *through, last = path.split("__")
    try:
        for name in through:
            row = getattr(row, name)
            if row is None:
                return None
        return getattr(row, f"{last}_id")
    except ObjectDoesNotExist:
        return None  # its parent went first: the parent's own change counted


def _tokens_delete_at_once(user_pks) -> None:
    """Delete the tokens where that takes effect at once, outside the database
    transaction: in a process's memory, or in Redis while it answers. Never in the
    database cache (Redis's stand-in while it is down): there the deletion would join
    the transaction and lock the tokens' rows until the commit."""
    backend = caches["default"]
    keys = [token_key(pk) for pk in user_pks]
    if isinstance(backend, LocMemCache):
        backend.delete_many(keys)
    elif hasattr(backend, "delete_many_in_redis"):  # offtek.cache's fallback
        backend.delete_many_in_redis(keys)
    elif isinstance(backend, RedisCache):
        backend.delete_many(keys)


def _tokens_delete(user_pks) -> None:
    cache.delete_many([token_key(pk) for pk in user_pks])


def _forget() -> None:
    connection = transaction.get_connection()
    user_pks, connection.customer_pages_changed = connection.customer_pages_changed, set()
    if user_pks:
        _tokens_delete(user_pks)


def customer_pages_changed(user_pks) -> None:
    """The pages of these customers (pks, None ignored) change once the current
    transaction commits (at once outside a transaction)."""
    user_pks = {pk for pk in user_pks if pk is not None}
    if not user_pks:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # At once too where that costs no lock (tests, whose transactions never
        # commit, see it at once); the deletion after the commit is what makes a kept
        # page safe.
        _tokens_delete_at_once(user_pks)
    waiting = getattr(connection, "customer_pages_changed", None)
    if waiting is None:
        waiting = connection.customer_pages_changed = set()
    waiting |= user_pks
    # One deletion per transaction, however many rows it changed: the callback is
    # registered again if a rolled-back savepoint took it away.
    if not any(entry[1] is _forget for entry in connection.run_on_commit):
        # robust: the change is committed whatever happens here; a failed deletion
        # is logged, and the kept pages end with their time to live.
        transaction.on_commit(_forget, robust=True)


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw and not announced():
        customer_pages_changed([_owner_pk(instance, PATHS[sender])])


def _on_delete(sender, instance, **kwargs):
    if not announced():
        customer_pages_changed([_owner_pk(instance, PATHS[sender])])


def _on_rows_changing(sender, pks, **kwargs):
    path = PATHS.get(sender)
    if path is None:
        return
    if path == "self":
        customer_pages_changed(pks)
        return
    rows = sender._default_manager.filter(pk__in=list(pks))
    customer_pages_changed(set(rows.values_list(path, flat=True)))


PATHS: dict = {}


def connect() -> None:
    """Watch every model that belongs to a customer (at start-up, once the
    declarations are made)."""
    PATHS.update(owner_paths())
    for model in PATHS:
        uid = f"customer-pages-{model._meta.label_lower}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    rows_changing.connect(_on_rows_changing, dispatch_uid="customer-pages-rows")
