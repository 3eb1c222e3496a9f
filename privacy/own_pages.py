"""A person's own pages that another app may keep rendered (the shop keeps them
sealed in the shared cache until anything on them changes).

Privacy's views mark such a page with ``@own_page``; the app that keeps pages says how
with ``keeper_provide(decorator)`` when it is ready. Without a keeper the page is
rendered each time."""

from functools import wraps

_keeper = None


def keeper_provide(decorator) -> None:
    global _keeper
    _keeper = decorator


def own_page(view):
    kept_views = {}

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _keeper is None:
            return view(request, *args, **kwargs)
        kept = kept_views.get(_keeper)
        if kept is None:
            kept = kept_views[_keeper] = _keeper(view)
        return kept(request, *args, **kwargs)

    return wrapper
