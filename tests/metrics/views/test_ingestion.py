import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Account
from metrics.models import AccountIngestionState, IngestionRun
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(people, org, other_org):
    ok = AccountFactory(organization=org, platform="x", handle="ok_account")
    broken = AccountFactory(organization=org, platform="facebook", handle="broken_page",
                            connection_state=Account.Connection.NEEDS_RECONNECT,
                            connection_error="(#190) Error validating access token")
    slow = AccountFactory(organization=org, platform="youtube", handle="quota_channel")
    theirs = AccountFactory(organization=other_org, platform="x", handle="someone_elses")
    now = timezone.now()
    AccountIngestionState.objects.create(account=ok, last_success_at=now - dt.timedelta(minutes=5),
                                         quota_used_pct=42.0)
    AccountIngestionState.objects.create(account=slow, backoff_until=now + dt.timedelta(hours=3),
                                         consecutive_failures=2, last_error="[quotaExceeded] …")
    IngestionRun.objects.create(platform="youtube", account=slow, status="failed", requests_made=1,
                                errors=[{"code": "quotaExceeded", "message": "quota", "permanent": False}])
    IngestionRun.objects.create(platform="x", account=ok, status="success", requests_made=2, posts_refreshed=150,
                                snapshots_written=150)
    IngestionRun.objects.create(platform="x", account=theirs, status="failed",
                                errors=[{"code": "401", "message": "Unauthorized"}])
    return ok, broken, slow, theirs


def test_health_page_shows_each_account_of_the_users_organizations(client, people, accounts):
    ok, broken, slow, theirs = accounts
    client.force_login(people.admin)
    page = client.get(reverse("ingestion_health")).content.decode()
    assert "ok_account" in page and "broken_page" in page and "quota_channel" in page
    assert "someone_elses" not in page  # another organization's account
    assert "1 account needs reconnecting" in page
    assert page.index("broken_page") < page.index("quota_channel") < page.index("ok_account")  # needs a person first
    assert "reconnect-hint" in page  # admins are told how
    assert "<code>quotaExceeded</code>" in page and "2 failures in a row" in page
    assert "42 %" in page
    assert "<code>401</code>" not in page  # the other organization's run


def test_non_admins_see_the_problem_but_not_the_reconnect_hint(client, people, accounts):
    client.force_login(people.viewer)
    page = client.get(reverse("ingestion_health")).content.decode()
    assert "broken_page" in page and "Needs reconnect" in page
    assert "reconnect-hint" not in page and "An admin of this organization" in page


def test_outsiders_see_only_their_own(client, people, accounts):
    client.force_login(people.outsider)
    page = client.get(reverse("ingestion_health")).content.decode()
    assert "someone_elses" in page and "broken_page" not in page


def test_anonymous_users_are_sent_to_log_in(client):
    assert client.get(reverse("ingestion_health")).status_code == 302


def test_planners_find_the_csv_import_from_the_health_page(client, people, accounts):
    # The import page was linked from nowhere in the UI.
    client.force_login(people.editor)
    assert reverse("metric_import") in client.get(reverse("ingestion_health")).content.decode()
    client.force_login(people.viewer)  # managers read, they do not import
    assert reverse("metric_import") not in client.get(reverse("ingestion_health")).content.decode()


def test_health_page_shows_budgets_and_admins_set_them(client, people, accounts, org):
    from metrics.models import IngestionBudget

    client.force_login(people.admin)
    page = client.get(reverse("ingestion_health")).content.decode()
    assert 'id="budgets"' in page and 'id="budget-form"' in page and "No budget set" in page
    reply = client.post(reverse("ingestion_health"), {"organization": org.pk, "platform": "youtube", "limit": "4000"})
    assert reply.status_code == 302
    budget = IngestionBudget.objects.get(organization=org, platform="youtube")
    assert budget.limit == 4000 and budget.planned_at is not None
    page = client.get(reverse("ingestion_health")).content.decode()
    assert "Within budget" in page and ("4,000" in page or "4000" in page)


def test_only_admins_see_and_use_the_budget_form(client, people, accounts, org):
    from metrics.models import IngestionBudget

    client.force_login(people.editor)
    assert 'id="budget-form"' not in client.get(reverse("ingestion_health")).content.decode()
    reply = client.post(reverse("ingestion_health"), {"organization": org.pk, "platform": "youtube", "limit": "1"})
    assert reply.status_code == 403 and not IngestionBudget.objects.exists()
