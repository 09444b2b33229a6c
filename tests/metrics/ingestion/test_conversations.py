"""Community replies: the platforms' comment endpoints in the sandbox, the pass over real HTTP, the inbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Post
from metrics.ingestion.conversations import conversations_read
from metrics.models import IngestionRun, PostComment, PostMetricSnapshot
from metrics.reporting.selectors.conversations import post_reply_stats
from metrics.sandbox import synthetic
from metrics.sandbox.synthetic.comments import conversation
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.metrics.ingest_support import FB_PAGE, IG_USER, X_USER, YT_CHANNEL, account, connector, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _recent_post(platform: str, account_id: str, now: dt.datetime, min_comments: int = 15):
    """A synthetic post a few days old with a conversation of some size."""
    for post in synthetic.posts(platform, account_id, now, since=now - dt.timedelta(days=6)):
        if post.format != "story" and len(conversation(post, now)) >= min_comments and \
                now - post.published_at > dt.timedelta(days=2):
            return post
    raise AssertionError(f"no {platform} post with a conversation")


@pytest.mark.parametrize("platform,account_id", [("facebook", FB_PAGE), ("instagram", IG_USER), ("x", X_USER),
                                                 ("youtube", YT_CHANNEL)])
def test_each_platform_gives_the_comments_and_the_accounts_own_replies(settings, platform, account_id):
    settings.SANDBOX_NOW = NOW
    post = _recent_post(platform, account_id, NOW)
    expected = conversation(post, NOW)
    owner = synthetic.profile(platform, account_id).handle
    got = connector(platform, account_id).comments(post.post_id, owner_name=owner)
    top = [c for c in got if not c.parent_id]
    ours = [c for c in got if c.by_owner]
    assert len(top) == len(expected)
    assert len(ours) == sum(1 for c in expected if c.reply_at) > 0
    assert all(c.parent_id in {t.comment_id for t in top} for c in ours)  # each reply points at its comment


def test_the_pass_stores_threads_and_measures_reply_rate_and_response_time(settings):
    settings.SANDBOX_NOW = NOW
    org = OrganizationFactory()
    fb = account("facebook", FB_PAGE, organization=org, handle="MOFA.Taiwan.demo")
    synth = _recent_post("facebook", FB_PAGE, NOW)
    post = Post.objects.create(account=fb, platform_post_id=synth.post_id, status=Post.Status.PUBLISHED,
                               published_at=synth.published_at, title=synth.title)
    m = connector("facebook", FB_PAGE).post_metrics([synth.post_id]).posts[0].metrics
    PostMetricSnapshot.objects.create(post=post, slot=NOW, comments=m["comments"], views=m["views"])

    result = conversations_read(now=NOW)
    assert result.posts_read == 1 and result.requests >= 1
    expected = conversation(synth, NOW)
    questions = [c for c in expected if c.is_question]
    answered = [c for c in questions if c.reply_at]
    stats = post_reply_stats(post_id=post.pk)
    assert (stats.comments, stats.questions, stats.answered) == (len(expected), len(questions), len(answered))
    delays = sorted((c.reply_at - c.created_at).total_seconds() / 3600 for c in answered)
    assert stats.median_response_hours == pytest.approx(delays[len(delays) // 2] if len(delays) % 2 else
                                                        (delays[len(delays) // 2 - 1] + delays[len(delays) // 2]) / 2,
                                                        abs=0.01)
    # Nothing new: no request at all on the next pass.
    assert conversations_read(now=NOW).requests == 0
    assert PostComment.objects.filter(post=post).count() == len(expected) + sum(1 for c in expected if c.reply_at)


def test_a_failure_keeps_what_was_read_and_the_inbox_lists_whats_waiting(settings, client):
    settings.SANDBOX_NOW = NOW
    org = OrganizationFactory()
    yt = account("youtube", YT_CHANNEL, organization=org, handle="TrendingTaiwanDemo")
    synth = _recent_post("youtube", YT_CHANNEL, NOW, min_comments=5)
    post = Post.objects.create(account=yt, platform_post_id=synth.post_id, status=Post.Status.PUBLISHED,
                               published_at=synth.published_at, title="Night market film")
    PostMetricSnapshot.objects.create(post=post, slot=NOW, comments=len(conversation(synth, NOW)))
    fault("youtube", YT_CHANNEL, "server_error", status=503)
    assert conversations_read(now=NOW).posts_read == 0
    run = IngestionRun.objects.get(kind="conversations")
    assert run.status == "failed"
    from metrics.sandbox.faults import sandbox_fault_clear
    sandbox_fault_clear()
    assert conversations_read(now=NOW).posts_read == 1

    viewer = UserFactory()
    MembershipFactory(user=viewer, organization=org, role="viewer")
    client.force_login(viewer)
    page = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    waiting = PostComment.objects.filter(post=post, is_question=True, answered_at__isnull=True)
    assert "社群收件匣" in page and "Night market film" in page
    assert waiting.exists() and waiting.first().platform_url in page.replace("&amp;", "&")
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=OrganizationFactory(), role="admin")
    client.force_login(outsider)
    assert "Night market film" not in client.get(reverse("inbox")).content.decode()
