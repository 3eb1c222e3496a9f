"""The role matrix, tried cell by cell through HTTP as an attacker would.

For every admin URL the resolver knows and every role (each staff group, a staff user
with no group, a superuser, a customer), GET and POST it (POSTs carry forged privileged
fields: is_superuser, is_staff, groups, user_permissions, passwords, prices, stock,
order status, refund amounts) and check the answer and the database against
privacy.role_matrix. Each request runs in a savepoint that is rolled back, so every
cell starts from the same world.
"""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory
from django.urls import path

from privacy import role_matrix
from privacy.models import (
    SecurityEvent,
    SecurityEventKind,
)
from privacy.role_matrix import (
    ALL,
    CUSTOMER,
    PRIVACY_OFFICER,
    ROLES,
    SHOP_STAFF,
    STAFF_NO_GROUP,
    SUPERUSER,
)
from privacy.tests.factories import UserFactory
from shop.models import (
    Module,
    OrderLine,
)
from tests.security.admin_walk import MODEL_VIEWS, AdminUrl, admin_urls, urls_without_a_row
from tests.security.admin_world import (
    action_posts,
    changed_columns,
    client_for,
    concrete_path,
    forged_post,
    member,
    snapshot,
    world_build,
)

pytestmark = pytest.mark.django_db

# Pages that only take a POST (a GET is "method not allowed" for those who may use them).
POST_ONLY_PAGES = {"shop_module_process_import", "shop_system_process_import"}
# Fields a service sets as a consequence of an allowed change (not typed by staff).
SET_BY_THE_SERVICE = {"privacy.privacyrequest": {"status", "due_date"}}


class Rollback(Exception):
    pass


# ---------------------------------------------------------------- the world


@pytest.fixture(autouse=True)
def _sessions_outside_the_rollbacks(settings):
    """Each request runs in a savepoint that is rolled back; the session must survive."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    # The task queue's admin shows production rows: the database backend, as there.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def world():
    return world_build()


# ---------------------------------------------------------------- expectations


def allowed(url: AdminUrl, role: str, action: str) -> bool:
    if url.view is None:
        return role in role_matrix.PAGES[url.page_key]
    return role_matrix.MODELS[url.model_label].get(role, role_matrix.NO_ACCESS).allows(action)


def denied_answer(role, response) -> bool:
    if role == CUSTOMER:
        return response.status_code == 302 and "/login/" in response["Location"]
    return response.status_code == 403


def check_get(url, role, response, problems):
    if url.page_key in ("login", "logout"):
        if response.status_code >= 500:
            problems.append(f"{role} GET {url}: {response.status_code}")
        return
    if role == CUSTOMER:
        if not denied_answer(role, response):
            problems.append(f"{role} GET {url}: {response.status_code}, expected the sign-in")
        return
    action = MODEL_VIEWS.get(url.view, "view")
    expected = {"redirect": 302, None: 200}.get(url.view, 200)
    if url.page_key == "final_catch_all":
        expected = 404
    if url.page_key in POST_ONLY_PAGES:
        expected = 405
    if url.page_key == "view_on_site":
        expected = 302
    if url.page_key == "app_list":  # the shop's section: "not found" if nothing in it
        shop = [row.get(role) for label, row in role_matrix.MODELS.items() if label[:5] == "shop."]
        if not any(grant and grant.actions for grant in shop):
            expected = 404
    if url.page_key == "autocomplete":  # answers for the admins the role may view
        action, url = "view", AdminUrl("shop_module_changelist", url.route, "shop.module")
    may = allowed(url, role, action)
    if url.view == "simple_history":  # the revert form: every field or nothing
        grant = role_matrix.MODELS[url.model_label].get(role, role_matrix.NO_ACCESS)
        may = grant.allows("change") and grant.fields == ALL
    if may:
        if response.status_code != expected:
            problems.append(f"{role} GET {url}: {response.status_code}, expected {expected}")
    elif url.view != "redirect" and not denied_answer(role, response):
        problems.append(f"{role} GET {url}: {response.status_code}, expected a refusal")


POST_ACTION = {
    "changelist": "change",
    "add": "add",
    "change": "change",
    "delete": "delete",
    "simple_history": "change",
}


def check_post(url, role, client, world, superuser, problems):
    """POST forged data; a refused POST changes nothing, an allowed one only the
    fields the matrix lets the role change."""
    if url.page_key in ("login", "logout", "final_catch_all", "jsi18n", "view_on_site"):
        return
    if url.view in ("history", "redirect"):
        return
    path = concrete_path(url, world)
    posts = (
        list(action_posts(url, world, superuser))
        if url.view == "changelist"
        else [forged_post(url, world)]
    )
    action = POST_ACTION.get(url.view, "view")
    grant = (
        role_matrix.MODELS[url.model_label].get(role, role_matrix.NO_ACCESS)
        if url.model_label and url.view
        else None
    )
    for data in posts:
        try:
            with transaction.atomic():
                before = snapshot()
                response = client.post(path, data)
                after = snapshot()
                status = response.status_code
                what = f"{role} POST {url} {data.get('action', '')}"
                if status >= 500:
                    problems.append(f"{what}: {status}")
                needed = "delete" if data.get("action") == "delete_selected" else action
                may = allowed(url, role, needed)
                if url.view == "simple_history":
                    may = may and grant.fields == ALL
                if url.page_key == "password_change":
                    may = role != CUSTOMER  # one's own password, with the old one
                if not may:
                    if before != after:
                        diff = [k for k in before if before[k] != after[k]]
                        problems.append(f"{what}: refused role changed {diff}")
                    must_refuse = url.view in ("add", "change", "delete", "simple_history")
                    if (must_refuse or url.view is None) and not denied_answer(role, response):
                        problems.append(f"{what}: {status}, expected a refusal")
                elif url.view == "change" and grant.fields != ALL:
                    obj = world[url.model_label]
                    changed = changed_columns(before, after, url.model_label, obj.pk)
                    extra = (
                        changed - set(grant.fields) - SET_BY_THE_SERVICE.get(url.model_label, set())
                    )
                    if extra:
                        problems.append(f"{what}: changed {sorted(extra)} beyond the matrix")
                raise Rollback
        except Rollback:
            pass


# ---------------------------------------------------------------- the tests


def test_every_admin_url_has_a_row_in_the_matrix():
    urls = list(admin_urls())
    assert len(urls) > 100
    assert urls_without_a_row(urls) == []


def test_control_a_new_admin_page_without_a_row_is_reported_and_refused():
    """Control: an admin that adds a page and nothing else. The walk reports the page
    as having no row (so the test above fails), and the admin refuses it to everyone,
    superusers too, until the matrix names it."""
    from django.http import HttpResponse
    from django.urls import URLResolver
    from django.urls.resolvers import RoutePattern

    from offtek.admin_site import StaffAdminSite

    class ExportingModuleAdmin(admin.ModelAdmin):
        def get_urls(self):
            def export_view(request):
                return HttpResponse("every price")

            page = path(
                "export/", self.admin_site.admin_view(export_view), name="shop_module_export"
            )
            return [page, *super().get_urls()]

    site = StaffAdminSite(name="control")
    site.register(Module, ExportingModuleAdmin)
    resolver = URLResolver(RoutePattern(""), site.get_urls())
    missing = urls_without_a_row(admin_urls(resolver, site=site))
    assert [url.name for url in missing] == ["shop_module_export"]

    request = RequestFactory().get("/admin/shop/module/export/")
    request.user = member(SUPERUSER)
    view = resolver.resolve("shop/module/export/").func
    with pytest.raises(PermissionDenied):
        view(request)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_answers_each_role_as_the_matrix_says(role, world):
    superuser = member(SUPERUSER)
    user = superuser if role == SUPERUSER else member(role)
    client = client_for(user)
    problems = []
    urls = list(admin_urls())
    for url in urls:
        if url.page_key == "logout":
            continue  # would end the session for the URLs after it
        try:
            with transaction.atomic():
                check_get(url, role, client.get(concrete_path(url, world)), problems)
                raise Rollback
        except Rollback:
            pass
        check_post(url, role, client, world, superuser, problems)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("label", "role"),
    [
        (label, role)
        for label, row in role_matrix.MODELS.items()
        for role, grant in row.items()
        if grant.allows("change") and grant.fields != ALL
    ],
)
def test_a_role_with_some_fields_sees_exactly_those_as_inputs(label, role, world):
    model = apps.get_model(label)
    if model not in admin.site._registry:
        pytest.skip("shown inline only")
    obj = world[label]
    response = client_for(member(role)).get(
        f"/en/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    )
    assert response.status_code == 200
    # (a date and time is two inputs, <name>_0 and <name>_1)
    names = {
        re.sub(r"_[01]$", "", name)
        for name in re.findall(r'name="([\w-]+)"', response.content.decode())
    }
    editable = {
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and f.editable and not f.auto_created
    }
    grant = role_matrix.MODELS[label][role]
    assert names & editable == set(grant.fields) & editable


def test_shop_staff_change_prices_but_the_privacy_officer_cannot(world):
    module = world["shop.module"]
    url = f"/en/admin/shop/module/{module.pk}/change/"
    for role, expected in ((PRIVACY_OFFICER, module.price_pence), (SHOP_STAFF, 1234)):
        client = client_for(member(role))
        form = client.get(url).context["adminform"].form
        data = {
            **{k: v for k, v in form.initial.items() if v is not None and k in form.fields},
            "price_pence": "1234",
        }
        data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
        client.post(url, data)
        module.refresh_from_db()
        assert module.price_pence == expected


def test_the_privacy_officer_cannot_move_an_order_through_a_bulk_action(world):
    order = world["shop.order"]
    client = client_for(member(PRIVACY_OFFICER))
    client.post(
        "/en/admin/shop/order/",
        {"action": "hold_action", "_selected_action": [order.pk], "index": "0"},
    )
    order.refresh_from_db()
    assert order.status == "paid"


def test_a_history_revert_is_refused_to_roles_that_cannot_change_every_field(world):
    order = world["shop.order"]
    pending = order.history.order_by("history_id").first()
    client = client_for(member(SHOP_STAFF))
    response = client.post(f"/en/admin/shop/order/{order.pk}/history/{pending.history_id}/", {})
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == "paid"


def test_the_privacy_officer_sees_personal_data_and_each_look_is_logged(world):
    officer = member(PRIVACY_OFFICER)
    victim = world["privacy.user"]
    client = client_for(officer)
    response = client.get(f"/en/admin/privacy/user/{victim.pk}/change/")
    assert response.status_code == 200
    assert "Hopper" in response.content.decode()
    assert client.get(f"/en/admin/shop/order/{world['shop.order'].pk}/change/").status_code == 200
    details = list(
        SecurityEvent.objects.filter(
            user=victim, actor=officer, kind=SecurityEventKind.STAFF_VIEW
        ).values_list("detail", flat=True)
    )
    assert sorted(details) == ["record", "shop.order record"]


def test_staff_without_a_role_reach_only_the_index(world):
    client = client_for(member(STAFF_NO_GROUP))
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/privacy/user/").status_code == 403


def test_a_custom_page_refuses_a_role_the_matrix_leaves_out(monkeypatch, world):
    """Control for the guard itself: take the Shop staff off the refund page's row and
    the same request that worked is refused."""
    order = world["shop.order"]
    client = client_for(member(SHOP_STAFF))
    url = f"/en/admin/shop/order/{order.pk}/refund/"
    assert client.get(url).status_code == 200
    monkeypatch.setitem(role_matrix.PAGES, "shop_order_refund", frozenset({SUPERUSER}))
    assert client.get(url).status_code == 403


def test_page_guard_raises_for_unknown_pages():
    from privacy.admin_roles import page_guard

    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(PermissionDenied):
        page_guard(lambda request: None, "no_such_page")(request)


def test_groups_hold_exactly_the_permissions_the_matrix_lists():
    for group_name in (SHOP_STAFF, PRIVACY_OFFICER):
        held = {
            f"{app}.{codename}"
            for app, codename in Group.objects.get(name=group_name).permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        listed = {
            f"{app}.{codename}"
            for app, codenames in role_matrix.group_codenames(group_name).items()
            for codename in codenames
        }
        assert held == listed


def test_order_lines_are_kept_out_of_reach_of_the_customer(world):
    assert client_for(world["privacy.user"]).get("/en/admin/shop/orderline/").status_code in (
        302,
        404,
    )
    assert OrderLine.objects.exists()


def test_the_staff_guide_shows_the_matrix_the_admin_enforces():
    from io import StringIO
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    out = StringIO()
    call_command("role_matrix", stdout=out)
    readme = (Path(settings.BASE_DIR) / "docs" / "staff.md").read_text()
    assert "<!-- role-matrix:start -->\n" + out.getvalue() + "<!-- role-matrix:end -->" in readme
    assert "| `privacy.user` | view, add, change, delete (every field) | - | view |" in readme
