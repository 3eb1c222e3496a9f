"""No personal field is read outside a declared purpose (see tests/purpose_reads.py),
with controls that show the walk finds a read that is added outside one."""

import textwrap

from tests.purpose_reads import (
    MODULES_ALLOWED,
    ROOT,
    personal_field_names,
    project_reads_outside_purpose,
    reads_outside_purpose,
    source_files,
)

FIELDS = {"delivery_phone", "email", "ip_address"}


def test_the_walk_knows_the_personal_fields_of_the_registry():
    fields = personal_field_names()
    # Encrypted fields and e-mail addresses of models in several apps.
    assert {"delivery_phone", "delivery_postcode", "email", "ip_address", "to_number"} <= fields
    assert "created_at" not in fields and "total_pence" not in fields


def test_no_personal_field_is_read_outside_a_declared_purpose():
    reads = project_reads_outside_purpose()
    assert reads == [], "\n".join(str(read) for read in reads)


def test_every_allowed_module_exists_and_says_why():
    files = {relative for relative, _file in source_files()}
    assert set(MODULES_ALLOWED) <= files
    assert all(reason.strip() for reason in MODULES_ALLOWED.values())


def test_control_a_read_outside_a_purpose_is_found():
    source = textwrap.dedent(
        """
        from privacy.consent.purposes import for_purpose, uses_personal_data

        @uses_personal_data("orders", categories=["contact"])
        def label(order):
            return order.delivery_phone  # inside: decorated

        def notify(order, user):
            with for_purpose("marketing-sms", categories=["contact"], user=user):
                send(order.delivery_phone)  # inside: the block
            return order.delivery_phone  # outside

        def emails(users):
            return users.values("email")  # outside: named in a query

        def unrelated(processor):
            return dict(key="email")  # a string that reads nothing
        """
    )
    reads = reads_outside_purpose(source, path="synthetic.py", fields=FIELDS)
    assert [(read.line, read.field) for read in reads] == [(11, "delivery_phone"), (14, "email")]


def test_control_a_read_added_to_a_real_module_fails_the_walk():
    """The project walk on a copy of the dispatch module with one new read in it."""
    original = (ROOT / "shop/fulfilment/dispatch.py").read_text()
    assert reads_outside_purpose(original, path="dispatch.py", fields=personal_field_names()) == []
    leaked = original + "\n\ndef order_phone_for_partner(order):\n    return order.delivery_phone\n"
    reads = reads_outside_purpose(leaked, path="dispatch.py", fields=personal_field_names())
    assert [read.field for read in reads] == ["delivery_phone"]
    # The allow-list is what lets the models and the export read: without it, the walk fails.
    assert project_reads_outside_purpose(allowed={}) != []
