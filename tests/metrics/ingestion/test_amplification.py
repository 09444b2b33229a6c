"""Finding notable reshares and quotes on X: the sandbox's endpoints, and the hourly pass over real HTTP."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import requests

from campaigns.models import Amplification, NotableAccount, Post
from metrics.connectors.base import ConnectorError
from metrics.ingestion.amplification import MAX_READ_PER_POST, amplifications_find
from metrics.models import AmplificationCheck, IngestionRun, PostMetricSnapshot
from metrics.sandbox.profiles import seed
from tests.factories import NotableAccountFactory, OrganizationFactory
from tests.metrics.ingest_support import TOKEN, X_USER, account, connector, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]

FILM = seed("wha_film_x")  # reshared by the EAP bureau at 15:40 and quoted by a news desk at 01:05 the next day
AFTER_RESHARE = dt.datetime(2026, 5, 12, 16, 0, tzinfo=dt.UTC)
AFTER_QUOTE = dt.datetime(2026, 5, 13, 2, 0, tzinfo=dt.UTC)


def _get(live_server, path: str, **params):
    return requests.get(f"{live_server.url}/sandbox/api.x.com{path}", params=params,
                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)


def test_the_sandbox_pages_resharers_newest_first_within_xs_limits(live_server, settings):
    settings.SANDBOX_NOW = AFTER_RESHARE
    for bad in ("0", "101"):
        answer = _get(live_server, f"/2/tweets/{FILM.post_id}/retweeted_by", max_results=bad)
        assert answer.status_code == 400 and answer.json()["title"] == "Invalid Request"
    assert _get(live_server, f"/2/tweets/{FILM.post_id}/quote_tweets", max_results="5").status_code == 400
    first = _get(live_server, f"/2/tweets/{FILM.post_id}/retweeted_by", max_results="100").json()
    assert first["meta"]["result_count"] == len(first["data"]) == 100 and "next_token" in first["meta"]
    second = _get(live_server, f"/2/tweets/{FILM.post_id}/retweeted_by", max_results="100",
                  pagination_token=first["meta"]["next_token"]).json()
    assert not {u["id"] for u in first["data"]} & {u["id"] for u in second["data"]}
    unknown = _get(live_server, "/2/tweets/1/retweeted_by").json()
    assert unknown["errors"][0]["title"] == "Not Found Error"


def _pages(grown: int) -> int:
    """Requests to read the `grown` newest entries (at most MAX_READ_PER_POST), up to 100 a page."""
    return math.ceil(min(max(grown, 0), MAX_READ_PER_POST) / 100)


def _reading(post: Post, at: dt.datetime) -> None:
    """Store the post's counts as the refresh would have read them at `at` (real HTTP to the sandbox)."""
    conn = connector("x", X_USER)
    metrics = conn.post_metrics([post.platform_post_id]).posts[0].metrics
    PostMetricSnapshot.objects.create(post=post, slot=at, captured_at=at, views=metrics["views"],
                                      shares=metrics["shares"], quotes=metrics["quotes"])


def _film_post(org) -> Post:
    x = account("x", X_USER, organization=org, handle="MOFA_Taiwan_demo")
    return Post.objects.create(account=x, platform_post_id=FILM.post_id, status=Post.Status.PUBLISHED,
                               published_at=FILM.published_at, title=FILM.title, format="video")


def test_the_pass_reads_only_the_growth_and_records_each_notable_once(settings):
    org = OrganizationFactory()
    post = _film_post(org)
    bureau = NotableAccountFactory(organization=org, handle="eap_bureau_DEMO", platform_user_id="")  # any case
    NotableAccountFactory(organization=org, handle="HealthNewsJP_demo")
    elsewhere = NotableAccountFactory(organization=OrganizationFactory(), handle="EAP_Bureau_demo")

    settings.SANDBOX_NOW = AFTER_RESHARE
    _reading(post, AFTER_RESHARE)
    first = PostMetricSnapshot.objects.get()
    result = amplifications_find(now=AFTER_RESHARE)
    assert result.found == 1 and result.requests == _pages(first.shares) + _pages(first.quotes)
    found = Amplification.objects.get()
    assert (found.notable, found.kind, found.source) == (bureau, "reshare", "found")
    bureau.refresh_from_db()
    assert bureau.platform_user_id == "1400000000000000101"  # matched by name once, by id from now on
    assert not elsewhere.amplifications.exists()  # another organization's watch list is theirs
    run = IngestionRun.objects.get(kind="amplification")
    assert run.status == "success" and run.requests_made == result.requests

    # Nothing grew: no request at all.
    assert amplifications_find(now=AFTER_RESHARE).requests == 0

    settings.SANDBOX_NOW = AFTER_QUOTE
    _reading(post, AFTER_QUOTE)
    latest = PostMetricSnapshot.objects.order_by("-slot").first()
    check = AmplificationCheck.objects.get(post=post)
    grown_shares, grown_quotes = latest.shares - check.shares_seen, latest.quotes - check.quotes_seen
    result = amplifications_find(now=AFTER_QUOTE)
    assert result.requests == _pages(grown_shares) + _pages(grown_quotes)
    quote = Amplification.objects.get(kind="quote")
    assert quote.notable.handle == "HealthNewsJP_demo" and quote.platform_item_id == "1790000000000905101"
    assert quote.occurred_at == dt.datetime(2026, 5, 13, 1, 5, tzinfo=dt.UTC)
    assert Amplification.objects.count() == 2  # the bureau's reshare is not recorded twice


def test_a_rate_limit_stops_the_account_and_keeps_what_was_stored(settings):
    org = OrganizationFactory()
    post = _film_post(org)
    NotableAccountFactory(organization=org, handle="EAP_Bureau_demo")
    settings.SANDBOX_NOW = AFTER_RESHARE
    _reading(post, AFTER_RESHARE)
    fault("x", X_USER, "rate_limit", reset_seconds=600, remaining=1)
    result = amplifications_find(now=AFTER_RESHARE)
    assert result.found == 0 and not AmplificationCheck.objects.exists()  # read again on the next pass
    run = IngestionRun.objects.get(kind="amplification")
    assert run.status == "failed" and run.errors[0]["code"] == "429"
    assert TOKEN not in str(run.errors)
    assert amplifications_find(now=AFTER_RESHARE).found == 1  # the fault was one reply: the next pass finds it


def test_the_connector_stops_at_what_was_asked(settings):
    settings.SANDBOX_NOW = AFTER_QUOTE
    conn = connector("x", X_USER)
    assert len(conn.resharers(FILM.post_id, newest=150)) == 150
    assert conn.recorder.to("/retweeted_by") == 2
    quotes = conn.quoters(FILM.post_id, newest=3)
    assert len(quotes) == 3 and all(q.item_id and q.user_id and q.at for q in quotes)
    fault("x", X_USER, "expired_token")
    with pytest.raises(ConnectorError):
        conn.resharers(FILM.post_id, newest=1)
    assert NotableAccount.objects.count() == 0
