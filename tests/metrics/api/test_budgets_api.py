"""GET /api/v1/ingestion-budgets/ for every member; PATCH of the limit for admins, which plans it again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from metrics.models import IngestionBudget, IngestionSpend
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/ingestion-budgets/"


@pytest.fixture
def budget(org, other_org):
    IngestionBudget.objects.create(organization=other_org, platform="x", limit=50)
    return IngestionBudget.objects.create(organization=org, platform="youtube", limit=5000)


def test_members_read_their_organizations_budgets_with_spend(clients, budget, org):
    account = AccountFactory(organization=org, platform="youtube")
    IngestionSpend.objects.create(account=account, platform="youtube",
                                  hour=timezone.now().replace(minute=0, second=0, microsecond=0), requests=3, units=3)
    body = clients.viewer.get(URL).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["platform"], r["limit"], r["spent"], r["period"]) for r in rows] == [("youtube", "5000.00", "3", "day")]
    assert clients.outsider.get(f"{URL}{budget.pk}/").status_code == 404


def test_an_admin_changes_the_limit_and_the_budget_is_planned(clients, budget):
    reply = clients.admin.patch(f"{URL}{budget.pk}/", {"limit": "7500"}, format="json")
    assert reply.status_code == 200, reply.json()
    assert reply.json()["limit"] == "7500.00" and reply.json()["planned_at"] is not None
    budget.refresh_from_db()
    assert budget.limit == Decimal(7500) and budget.status == IngestionBudget.Status.WITHIN


@pytest.mark.parametrize("who", ["editor", "approver", "viewer"])
def test_only_admins_change_budgets(clients, budget, who):
    assert getattr(clients, who).patch(f"{URL}{budget.pk}/", {"limit": "1"}, format="json").status_code == 403
    budget.refresh_from_db()
    assert budget.limit == 5000


def test_a_negative_limit_is_refused_in_the_api_error_shape(clients, budget):
    reply = clients.admin.patch(f"{URL}{budget.pk}/", {"limit": "-1"}, format="json")
    assert reply.status_code == 400 and "limit" in reply.json()["error"]["fields"]


def test_budgets_are_neither_created_nor_deleted_through_the_api(clients, budget, org):
    assert clients.admin.post(URL, {"organization": org.pk, "platform": "x", "limit": "1"},
                              format="json").status_code == 405
    assert clients.admin.delete(f"{URL}{budget.pk}/").status_code == 405
