"""What the fault tests do through the shop's public surface, and what they count."""

from collections import Counter

from bench.client import Browser
from bench.stack import Stack


def privacy_request_send(stack: Stack, email: str, address: str) -> int:
    """A visitor writes to the Privacy Officer: the shop queues a confirmation e-mail
    to `email`. Returns the status of the answer."""
    browser = Browser(stack.gunicorn.port, address=address)
    browser.get("/en/privacy/contact/")
    _path, status, _page = browser.post(
        "/en/privacy/contact/",
        {"kind": "question", "email": email, "name": "", "message": "What do you hold?"},
    )
    return status


def email_tasks_unfinished(stack: Stack) -> int:
    """E-mail tasks waiting or running (not successful, not failed)."""
    return stack.sql(
        "select count(*) from django_tasks_database_dbtaskresult "
        "where task_path = 'privacy.tasks.email_deliver' and status in ('READY', 'RUNNING')"
    )[0][0]


def deliveries(stack: Stack, addresses) -> Counter:
    """How many messages the mail server accepted for each of `addresses`."""
    wanted = set(addresses)
    return Counter(r for r in stack.mail.recipients() if r in wanted)
