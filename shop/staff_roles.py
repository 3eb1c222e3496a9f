"""The shop's rows of the staff role matrix (privacy.role_matrix): its admin models, its
admin pages and, for records about a person, the path from the record to them. Loaded
by ShopConfig.ready; privacy reads them from the matrix and never names the shop."""

from privacy.role_matrix import (
    ALL,
    EVERYTHING,
    PRIVACY_OFFICER,
    READ,
    SHOP_STAFF,
    SUPERUSER,
    declare,
    grant,
)

ORDER_WORK = frozenset({SUPERUSER, SHOP_STAFF})
CATALOG_WORK = frozenset({SUPERUSER, SHOP_STAFF})

declare(
    models={
        # Catalog: shop staff run it; the Privacy Officer reads it.
        "shop.module": {SUPERUSER: EVERYTHING, SHOP_STAFF: EVERYTHING, PRIVACY_OFFICER: READ},
        "shop.system": {SUPERUSER: EVERYTHING, SHOP_STAFF: EVERYTHING, PRIVACY_OFFICER: READ},
        "shop.systemmoduleoverride": {
            SUPERUSER: EVERYTHING,
            SHOP_STAFF: EVERYTHING,
            PRIVACY_OFFICER: READ,
        },
        "shop.manufacturer": {SUPERUSER: EVERYTHING, SHOP_STAFF: EVERYTHING, PRIVACY_OFFICER: READ},
        # One row saying whether the catalog is demo data (a banner on catalog pages).
        "shop.catalogsource": {
            SUPERUSER: grant("vc", ALL),
            SHOP_STAFF: grant("vc", ALL),
            PRIVACY_OFFICER: READ,
        },
        # Orders and claims: no field is edited by hand; "change" is the right to move them
        # through their state machine (actions, dispatch, refund, review, claim steps).
        "shop.order": {SUPERUSER: grant("vc"), SHOP_STAFF: grant("vc"), PRIVACY_OFFICER: READ},
        "shop.orderline": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        "shop.orderevent": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        "shop.warrantyclaim": {
            SUPERUSER: grant("vc"),
            SHOP_STAFF: grant("vc"),
            PRIVACY_OFFICER: READ,
        },
        "shop.warrantyclaimevent": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        "shop.payment": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        "shop.paymentevent": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        "shop.refund": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        # The text-message outbox: "change" is the right to re-send a dead message.
        "shop.smsmessage": {
            SUPERUSER: grant("vc"),
            SHOP_STAFF: grant("vc"),
            PRIVACY_OFFICER: READ,
        },
        "shop.reviewinvitation": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        "shop.salesstatistics": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        # Withdrawals: like orders, "change" is the right to take them through their steps.
        "shop.withdrawal": {
            SUPERUSER: grant("vc"),
            SHOP_STAFF: grant("vc"),
            PRIVACY_OFFICER: READ,
        },
        "shop.withdrawalline": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        # Invoices and credit notes never change after issue (a correction is a credit note).
        "shop.document": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
        "shop.documentline": {SUPERUSER: READ, SHOP_STAFF: READ, PRIVACY_OFFICER: READ},
    },
    pages={
        "shop_order_refund": ORDER_WORK,
        "shop_order_dispatch": ORDER_WORK,
        "shop_order_review": ORDER_WORK,
        "shop_warrantyclaim_step": ORDER_WORK,
        "shop_withdrawal_step": ORDER_WORK,
        "shop_document_pdf": ORDER_WORK | {PRIVACY_OFFICER},
        "shop_document_resend": ORDER_WORK,
        # Importing a catalog file changes prices and stock in bulk.
        "shop_module_import": CATALOG_WORK,
        "shop_module_process_import": CATALOG_WORK,
        "shop_system_import": CATALOG_WORK,
        "shop_system_process_import": CATALOG_WORK,
        "shop_module_import_template": CATALOG_WORK,
        "shop_system_import_template": CATALOG_WORK,
    },
    personal_records={
        "shop.order": "user",
        "shop.payment": "order.user",
        "shop.warrantyclaim": "line.order.user",
        "shop.smsmessage": "order.user",
        "shop.reviewinvitation": "order.user",
        "shop.document": "order.user",
        "shop.withdrawal": "order.user",
    },
)
