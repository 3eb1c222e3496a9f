"""The customer's display name, kept in their session (server side, like the rest of
the session) for the page header, so a page can greet them without loading their user
row. Written when they sign in and when they change their name; the session ends with
the account (erasure deletes every session of the customer). It never goes into a
cached page: the header is filled in per request (shop/catalog/page_cache.py)."""

DISPLAY_NAME_SESSION_KEY = "display_name"


def display_name_remember(*, session, user) -> None:
    session[DISPLAY_NAME_SESSION_KEY] = user.get_full_name()


def display_name_in(session) -> str:
    return session.get(DISPLAY_NAME_SESSION_KEY, "")
