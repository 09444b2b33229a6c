"""The weights page in a real browser: htmx previews a change before anything is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.models import ScoreWeights
from metrics.scoring import service as scoring_service
from tests.factories import DEFAULT_PASSWORD
from tests.metrics.scoring_helpers import WHA, account_with_history, published_post, snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_weights_preview_updates_as_the_admin_types(live_server, page, people, org):
    campaign, account, event, history = account_with_history(org)
    post = published_post(campaign=campaign, account=account, at=WHA - dt.timedelta(hours=2), event=event)
    snapshot(post, 168, reactions=35, comments=5, reach=1000)
    scoring_service.posts_rescore(post_ids=[post.id, *(p.id for p in history)])

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", people.admin.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main [type=submit]")
    page.goto(f"{live_server.url}/organizations/{org.pk}/score-weights/")
    before = page.locator("[data-preview=before]")
    before.wait_for()  # the preview loads with the page
    assert page.locator("[data-preview=after]").inner_text() == before.inner_text()

    page.fill("#id_timeliness", "100")
    page.fill("#id_authenticity", "0")
    # 100 / (100 + 0 + 25 + 25): the preview has caught up with both changes.
    page.locator("#weights-preview", has_text="Timeliness 67 %").wait_for()
    assert page.locator("[data-preview=after]").inner_text() != before.inner_text()
    assert not ScoreWeights.objects.exists()  # nothing saved by previewing

    page.click("text=Save weights")
    page.wait_for_selector(".alert-success")
    assert ScoreWeights.objects.get(organization=org).timeliness == 100
