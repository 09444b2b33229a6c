import pytest
from django.core import mail
from django.utils import translation

from campaigns.models import Account, Profile
from metrics.reporting.digest import digests_send_weekly
from metrics.tasks import send_weekly_digests
from tests.factories import AccountFactory
from tests.metrics.dashboard_data import build_campaign


@pytest.mark.django_db
def test_weekly_digest_goes_to_managers_and_admins_with_headline_figures(people, org):
    campaign = build_campaign(org, n_posts=3, name="Health for all")
    AccountFactory(organization=org, handle="broken.page", connection_state=Account.Connection.NEEDS_RECONNECT)
    assert digests_send_weekly() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [people.admin.email, people.viewer.email]  # not the editor, approver or outsider
    message = next(m for m in mail.outbox if m.to == [people.viewer.email])
    # 3 own posts at 1,000 views a day and the influencer's at 2,000, over the last 7 days.
    assert message.subject.startswith("Softpower weekly: 35 K views")
    body = message.body
    assert "Views: 35 K" in body and "Interactions: 1.75 K" in body
    assert "Health for all" in body and f"/campaigns/{campaign.pk}/dashboard/" in body
    assert "projected to miss" in body and "broken.page needs to be reconnected" in body
    assert "http://" in body and "/overview/" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "35 K" in html and "Open the overview" in html


@pytest.mark.django_db
def test_the_task_sends_through_the_service(people, org):
    send_weekly_digests()  # run in-process: the task is one service call
    assert len(mail.outbox) == 2
    assert "No active campaigns." in mail.outbox[0].body


@pytest.mark.django_db
def test_each_reader_gets_the_digest_in_their_own_language_whatever_the_sender_had_active(people, org):
    Profile.objects.create(user=people.admin, language="zh-hant")
    with translation.override("zh-hant"):  # a worker thread left in Chinese by something else
        assert digests_send_weekly() == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[people.admin.email].startswith("Softpower 週報")
    assert subjects[people.viewer.email].startswith("Softpower weekly")  # no preference: LANGUAGE_CODE


@pytest.mark.django_db
def test_a_page_in_the_users_language_leaves_the_thread_as_it_was(client, people):
    Profile.objects.create(user=people.admin, language="zh-hant")
    client.force_login(people.admin)
    assert "總覽" in client.get("/overview/").content.decode()
    assert translation.get_language() == "en"
