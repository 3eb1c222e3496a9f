"""The world the role-matrix test walks: one object per admin model, a signed-in
member of each role, the concrete address of each admin URL, the forged POSTs and a
snapshot of the database to compare before and after."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client, RequestFactory
from django_tasks_db.models import DBTaskResult

from privacy import role_matrix
from privacy.models import (
    Disclosure,
    ErasureReceipt,
    Newsletter,
    OutgoingEmail,
    PersonalDataBreach,
    PrivacyRequest,
    RetentionRun,
    User,
)
from privacy.role_matrix import (
    CUSTOMER,
    PRIVACY_OFFICER,
    SHOP_STAFF,
    SUPERUSER,
)
from privacy.tests.factories import ConsentRecordFactory, SecurityEventFactory, UserFactory
from shop.invoices.services import invoice_issue
from shop.models import (
    CatalogSource,
    DocumentFile,
    PaymentEvent,
    Refund,
    ReviewInvitation,
    SmsMessage,
    SystemModuleOverride,
    WarrantyClaim,
    Withdrawal,
    WithdrawalLine,
)
from shop.tests.factories import ManufacturerFactory, SystemFactory
from shop.tests.factories_orders import paid_order
from tests.security.admin_walk import AdminUrl

NEW_PASSWORD = "forged-password-8812"


def world_build():
    victim = UserFactory(first_name="Grace", last_name="Hopper", phone="+447700900123")
    order = paid_order(user=victim)
    line = order.lines.get()
    payment = order.payments.get()
    system = SystemFactory(manufacturer=ManufacturerFactory())
    claim = WarrantyClaim.objects.create(
        number="RMA-2026-TEST", line=line, user=victim, reason="errors", symptoms="crashes"
    )
    withdrawal = Withdrawal.objects.create(
        reference="WD-2026-TEST",
        order=order,
        name="Grace Hopper",
        email=victim.email,
        statement="I withdraw.",
        received_at=order.created_at,
        refund_due=order.created_at.date(),
    )
    invoice = invoice_issue(order=order)
    DocumentFile.objects.create(document=invoice, pdf=b"%PDF-1.7 (not rendered in this test)")
    objects = {
        "auth.group": Group.objects.get(name=SHOP_STAFF),
        "privacy.user": victim,
        "account.emailaddress": EmailAddress.objects.get(user=victim),
        "mfa.authenticator": Authenticator.objects.create(
            user=victim, type=Authenticator.Type.TOTP, data={"secret": "victim"}
        ),
        "privacy.consentrecord": ConsentRecordFactory(user=victim),
        "privacy.disclosure": Disclosure.objects.create(
            user=victim, processor="reviews", purpose="reviews", fields=["email"], reference="R1"
        ),
        "privacy.retentionrun": RetentionRun.objects.create(now=order.created_at, applied=True),
        "privacy.securityevent": SecurityEventFactory(user=victim),
        "privacy.erasurereceipt": ErasureReceipt.objects.create(
            code_hash="a" * 64, language="en", outcomes={}
        ),
        "privacy.privacyrequest": PrivacyRequest.objects.create(
            reference="PR-00001",
            user=victim,
            kind="access",
            email=victim.email,
            email_digest="d" * 64,
            name="Grace Hopper",
            message="My data, please.",
            due_date=order.created_at.date(),
        ),
        "privacy.personaldatabreach": PersonalDataBreach.objects.create(
            summary="Laptop left on a train",
            categories=["contact"],
            subject_kinds=["customer"],
            subjects_affected=3,
            found_at=order.created_at,
        ),
        "privacy.newsletter": Newsletter.objects.create(
            subject_en="News", body_en="Body", subject_fr="Nouvelles", body_fr="Corps"
        ),
        "shop.module": line.module,
        "shop.system": system,
        "shop.manufacturer": system.manufacturer,
        "shop.catalogsource": CatalogSource.objects.first()
        or CatalogSource.objects.create(is_demo=True),
        "shop.systemmoduleoverride": SystemModuleOverride.objects.create(
            system=system, module=line.module, kind="pin"
        ),
        "shop.order": order,
        "shop.orderline": line,
        "shop.orderevent": order.events.first(),
        "shop.warrantyclaim": claim,
        "shop.warrantyclaimevent": None,
        "shop.payment": payment,
        "shop.paymentevent": PaymentEvent.objects.create(
            gateway="simulator", event_id="evt_1", kind="payment_intent.succeeded", payment=payment
        ),
        "shop.refund": Refund.objects.create(
            payment=payment, amount_pence=1, reference="re_1", reason="test"
        ),
        "shop.smsmessage": SmsMessage.objects.create(
            order=order, kind="dispatched", to_number="+447700900123", body="On its way"
        ),
        "shop.reviewinvitation": ReviewInvitation.objects.create(order=order, provider="memory"),
        "privacy.outgoingemail": OutgoingEmail.objects.create(
            user=victim,
            to=victim.email,
            template="shop/emails/order_paid",
            payload="{}",
            status="dead",
            last_error="recipient refused: 550 no",
        ),
        "shop.salesstatistics": line,
        "shop.withdrawal": withdrawal,
        "shop.withdrawalline": WithdrawalLine.objects.create(withdrawal=withdrawal, line=line),
        "shop.document": invoice,
        "shop.documentline": invoice.lines.first(),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.create(
            status="FAILED",
            args_kwargs={"args": [], "kwargs": {}},
            task_path="privacy.tasks.email_deliver",
            backend_name="default",
            queue_name="default",
            run_after=order.created_at,
            exception_class_path="",
            traceback="",
        ),
    }
    return objects


def member(role):
    if role == CUSTOMER:
        return UserFactory()
    user = UserFactory(is_staff=True, is_superuser=role == SUPERUSER)
    if role in (SHOP_STAFF, PRIVACY_OFFICER):
        user.groups.add(Group.objects.get(name=role))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- addresses


def history_id(obj):
    history = getattr(obj, "history", None)
    return history.first().history_id if history is not None and history.exists() else 1


def concrete_path(url: AdminUrl, world) -> str:
    obj = world.get(url.model_label) if url.model_label else None
    pk = obj.pk if obj is not None else 999_999
    module = world["shop.module"]
    parts = []
    for part in url.route:
        if part.startswith("^([^/]+)/history/"):
            part = f"{pk}/history/{history_id(obj)}/"
        elif part.startswith("^(?P<app_label>"):
            part = "shop/"
        elif part == "(?P<url>.*)$":
            part = "no-such-page/"
        part = part.replace(
            "<path:content_type_id>", str(ContentType.objects.get_for_model(module).pk)
        )
        part = part.replace(
            "r/" + str(ContentType.objects.get_for_model(module).pk) + "/<path:object_id>",
            f"r/{ContentType.objects.get_for_model(module).pk}/{module.pk}",
        )
        part = part.replace("<int:order_id>", str(world["shop.order"].pk))
        part = part.replace("<int:claim_id>", str(world["shop.warrantyclaim"].pk))
        part = part.replace("<int:withdrawal_id>", str(world["shop.withdrawal"].pk))
        part = part.replace("<int:document_id>", str(world["shop.document"].pk))
        part = part.replace("<id>", str(world["privacy.user"].pk))
        part = part.replace("<path:object_id>", str(pk)).replace("<int:object_id>", str(pk))
        part = part.replace("<slug:step>", "report")
        parts.append(part)
    suffix = {
        "shop_order_dispatch": f"?ids={world['shop.order'].pk}",
        "autocomplete": "?app_label=shop&model_name=systemmoduleoverride&field_name=module",
    }.get(url.name, "")
    return "/en/admin/" + "".join(parts) + suffix


# ---------------------------------------------------------------- forged posts


def forged_value(field, obj):
    if isinstance(field, models.ManyToManyField):
        return [str(pk) for pk in field.related_model.objects.values_list("pk", flat=True)[:50]]
    if isinstance(field, models.ForeignKey):
        other = field.related_model.objects.exclude(pk=getattr(obj, field.attname, None))
        first = other.order_by("pk").first()
        return str(first.pk) if first else ""
    if isinstance(field, models.BooleanField):
        return "" if obj is not None and getattr(obj, field.attname) else "on"
    if field.choices:
        current = getattr(obj, field.attname, None) if obj is not None else None
        values = [value for value, _ in field.flatchoices if value != current]
        return values[-1] if values else ""
    if isinstance(field, models.IntegerField):
        return "1"
    if isinstance(field, models.DateTimeField):
        return "2030-01-01 10:00:00"
    if isinstance(field, models.DateField):
        return "2030-01-01"
    if isinstance(field, models.EmailField):
        return "forged@example.com"
    if isinstance(field, models.JSONField):
        return "{}"
    return "forged"


PRIVILEGED = {
    "is_superuser": "on",
    "is_staff": "on",
    "is_active": "on",
    "password": "forged",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "usable_password": "true",
    "price_pence": "1",
    "unit_price_pence": "1",
    "total_pence": "1",
    "stock": "0",
    "status": "refunded",
    "amount_pence": "1",
    "reason": "forged",
    "decision": "refund",
    "to": "approved",
    "note": "forged",
    "courier": "royal-mail",
    "percent": "-90",
    "apply": "1",
    "post": "yes",
}


def forged_post(url: AdminUrl, world) -> dict:
    data = dict(PRIVILEGED)
    data["groups"] = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    data["user_permissions"] = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    data[f"tracking_{world['shop.order'].pk}"] = "TRACK123"
    if url.model_label:
        model = apps.get_model(url.model_label)
        obj = world.get(url.model_label)
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and field.editable and not field.auto_created:
                data.setdefault(field.name, forged_value(field, obj))
    return data


def action_posts(url: AdminUrl, world, superuser):
    """One POST per bulk action of the changelist, on the world's object."""
    model_admin = admin.site._registry[apps.get_model(url.model_label)]
    request = RequestFactory().get("/")
    request.user = superuser
    obj = world.get(url.model_label)
    for name in model_admin.get_actions(request):
        yield {
            **forged_post(url, world),
            "action": name,
            "_selected_action": [str(obj.pk)] if obj is not None else [],
            "index": "0",
        }
    if model_admin.list_editable and obj is not None:
        yield {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(obj.pk),
            **{f"form-0-{name}": PRIVILEGED.get(name, "1") for name in model_admin.list_editable},
            "_save": "Save",
        }


# ---------------------------------------------------------------- the database


def snapshot():
    """Every row of every model the admin shows (and who holds which privilege),
    except the security log, which staff views are meant to write to."""
    labels = [*role_matrix.MODELS, "shop.orderline"]
    state = {}
    for label in labels:
        if label in ("privacy.securityevent", "shop.salesstatistics"):
            continue
        model = apps.get_model(label)
        state[label] = list(model.objects.order_by("pk").values())
    state["user.groups"] = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    state["user.perms"] = sorted(
        User.user_permissions.through.objects.values_list("user_id", "permission_id")
    )
    state["group.perms"] = sorted(
        Group.permissions.through.objects.values_list("group_id", "permission_id")
    )
    state["passwords"] = sorted(User.objects.values_list("pk", "password"))
    return state


def changed_columns(before, after, label, pk):
    def row(state):
        return next((r for r in state.get(label, []) if r["id"] == pk), None)

    old, new = row(before), row(after)
    if old is None or new is None:
        return {"<deleted>"} if old != new else set()
    return {key for key in old if old[key] != new[key]}
