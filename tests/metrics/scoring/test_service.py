"""The Django side of scoring: gathering in bulk, storing, weights, the task, the pipeline hook, the command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from celery import current_app
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from campaigns.models import Post
from metrics import scoring, tasks
from metrics.ingestion import pipeline
from metrics.models import PostMetricSnapshot, PostScore, ScoreWeights
from metrics.scoring import service as scoring_service
from tests.factories import AccountFactory, PostFactory
from tests.metrics.scoring_helpers import WHA, account_with_history, published_post, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_tasks(monkeypatch):
    """Tasks sent to the broker, recorded by name instead of sent (no worker reads it here)."""
    sent: list[tuple[str, list]] = []

    def record(name, args=None, kwargs=None, **options):
        sent.append((name, list(args or [])))

    monkeypatch.setattr(current_app, "send_task", record)
    return sent


def test_rescore_stores_one_explained_score_per_post_and_method(org):
    campaign, account, event, _history = account_with_history(org)
    post = published_post(campaign=campaign, account=account, at=WHA - dt.timedelta(hours=2), event=event,
                          format="short_video", traits=["real_person"], language="vi")
    snapshot(post, 24, reactions=20, reach=900)
    snapshot(post, 168, reactions=35, comments=5, reach=1000)

    assert scoring_service.posts_rescore(post_ids=[post.id]) == 1
    score = PostScore.objects.get(post=post)
    assert score.method_version == scoring.METHOD_VERSION and score.computed_at is not None
    # History rates at 7 days: 1.2, 2.4, 3.6, 4.8, 6 % (reactions plus a fifth as many comments).
    # The post's (35 + 5) / 1000 = 4 % is above three of five → percentile 60.
    rate = next(c for p in score.explanation["principles"] for c in p["components"] if c["key"] == "interaction_rate")
    assert rate["value"] == pytest.approx(60.0)
    assert score.explanation["baseline"]["source"] == "account"
    assert score.explanation["baseline"]["denominator"] == "reach"
    lead = next(c for p in score.explanation["principles"] for c in p["components"] if c["key"] == "lead_time")
    assert lead["reason"]["text"] == "published 2 h before WHA opening"

    first_computed = score.computed_at
    scoring_service.posts_rescore(post_ids=[post.id, post.id])
    again = PostScore.objects.get(post=post)  # still one row: upserted
    assert again.computed_at >= first_computed


def test_x_quotes_count_as_shares_and_unpublished_posts_are_skipped(org):
    campaign, account, _event, _history = account_with_history(org, platform="x")
    post = published_post(campaign=campaign, account=account, at=WHA)
    snapshot(post, 168, reactions=10, shares=2, quotes=3, impressions=1000)
    draft = PostFactory(campaign=campaign, account=account, status=Post.Status.DRAFT)
    assert scoring_service.posts_rescore(post_ids=[post.id, draft.id]) == 1
    facts = scoring_service.scoring_inputs([post.id])[0].facts
    assert facts.readings[0].shares == 5
    assert not PostScore.objects.filter(post=draft).exists()


def test_history_given_to_the_pure_function_is_earlier_posts_only(org):
    campaign, account, _event, history = account_with_history(org)
    later = published_post(campaign=campaign, account=account, at=WHA + dt.timedelta(days=5))
    (item,) = scoring_service.scoring_inputs([history[2].id])
    assert [h.published_at for h in item.history] == [p.published_at for p in history[:2]]
    assert later.published_at not in [h.published_at for h in item.history]


def test_queries_do_not_grow_with_the_number_of_posts(org):
    campaign, account, event, _history = account_with_history(org)
    posts = [published_post(campaign=campaign, account=account, at=WHA + dt.timedelta(hours=i), event=event)
             for i in range(30)]
    for p in posts:
        snapshot(p, 168, reactions=5, reach=100)

    def queries_for(ids):
        with CaptureQueriesContext(connection) as ctx:
            scoring_service.posts_rescore(post_ids=ids)
        return len(ctx.captured_queries)

    assert queries_for([p.id for p in posts[:3]]) == queries_for([p.id for p in posts])


def test_organization_weights_drive_overall_and_saving_recomputes_stored_scores(org, people):
    campaign, account, event, _history = account_with_history(org)
    post = published_post(campaign=campaign, account=account, at=WHA - dt.timedelta(hours=2), event=event)
    snapshot(post, 168, reactions=35, comments=5, reach=1000)
    scoring_service.posts_rescore(post_ids=[post.id])
    score = PostScore.objects.get(post=post)
    equal = score.overall

    only_timeliness = scoring.Weights(100, 0, 0, 0)
    scoring_service.weights_save(organization_id=org.id, weights=only_timeliness, by=people.admin)
    score.refresh_from_db()
    assert score.overall == pytest.approx(score.timeliness)
    assert score.overall != pytest.approx(equal)
    assert ScoreWeights.objects.get(organization=org).updated_by == people.admin
    # A fresh rescore uses the saved weights too.
    scoring_service.posts_rescore(post_ids=[post.id])
    score.refresh_from_db()
    assert score.overall == pytest.approx(score.timeliness)
    assert score.explanation["weights"]["timeliness"] == 100


def test_weights_preview_shows_averages_and_rank_changes(org):
    account = AccountFactory(organization=org)
    # Post A strong on timeliness, post B strong on interactivity: equal weights tie-break by id.
    a = published_post(campaign=None, account=account, at=WHA)
    b = published_post(campaign=None, account=account, at=WHA + dt.timedelta(hours=1))
    PostScore.objects.create(post=a, method_version=scoring.METHOD_VERSION, timeliness=90, authenticity=50,
                             format=50, interactivity=10, overall=50)
    PostScore.objects.create(post=b, method_version=scoring.METHOD_VERSION, timeliness=10, authenticity=50,
                             format=50, interactivity=70, overall=45)
    preview = scoring_service.weights_preview(organization_id=org.id, weights=scoring.Weights(0, 0, 0, 100))
    assert preview.posts == 2
    assert preview.average_before == pytest.approx((50 + 45) / 2)
    assert preview.average_after == pytest.approx((10 + 70) / 2)
    moved = {m.post_id: (m.rank_before, m.rank_after) for m in preview.movers}
    assert moved == {a.id: (1, 2), b.id: (2, 1)}
    assert not ScoreWeights.objects.filter(organization=org).exists()  # a preview saves nothing


def test_campaign_summary_averages_distribution_and_weakest(org):
    campaign, account, _event, history = account_with_history(org)
    for post, (t, a, f, i) in zip(history[:3], [(80, 60, 20, 50), (70, 40, 30, 60), (90, 50, 10, 40)], strict=True):
        PostScore.objects.create(post=post, method_version=scoring.METHOD_VERSION, timeliness=t, authenticity=a,
                                 format=f, interactivity=i, overall=(t + a + f + i) / 4)
    PostScore.objects.create(post=history[3], method_version="old", timeliness=0, authenticity=0, format=0,
                             interactivity=0, overall=0)  # another method version is not mixed in
    summary = scoring_service.campaign_score_summary(campaign_id=campaign.id)
    assert summary.posts_scored == 3 and summary.posts_published == 5
    assert summary.averages["format"] == pytest.approx(20)
    assert summary.weakest == "format" and summary.strongest == "timeliness"
    assert dict(summary.distribution) == {"0–20": 0, "20–40": 0, "40–60": 3, "60–80": 0, "80–100": 0}


def test_task_rescores_the_given_posts(org):
    campaign, account, _event, history = account_with_history(org)
    tasks.rescore_posts.apply(args=[[history[-1].id]])
    assert PostScore.objects.filter(post=history[-1]).count() == 1


def test_after_snapshots_enqueues_one_rescore_after_commit(org, sent_tasks, django_capture_on_commit_callbacks):
    campaign, account, _event, history = account_with_history(org)
    ids = [p.id for p in history]
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.after_snapshots(post_ids=ids + ids)  # the same posts twice in one run: scored once
        assert sent_tasks == []  # nothing before commit
    rescores = [args for name, args in sent_tasks if name == "metrics.rescore_posts"]
    assert rescores == [[sorted(ids)]]
    tasks.rescore_posts.apply(args=rescores[0])  # what the worker then runs
    assert set(PostScore.objects.values_list("post_id", flat=True)) == set(ids)


def test_rescore_command(org, other_org):
    _campaign, _account, _event, history = account_with_history(org)
    _c2, _a2, _e2, others = account_with_history(other_org)
    out, err = io.StringIO(), io.StringIO()
    call_command("rescore", "--organization", str(org.id), stdout=out, stderr=err)
    assert "Checked 5 posts; scored 5 whose inputs changed" in out.getvalue()
    assert "5/5" in err.getvalue()  # the progress bar
    assert PostScore.objects.filter(post__in=others).count() == 0

    call_command("rescore", "--no-progress", stdout=out)  # only what has no current score: the other org's
    assert PostScore.objects.count() == 10
    out = io.StringIO()
    call_command("rescore", "--all", "--batch-size", "3", "--no-progress", stdout=out)
    # Every post checked; none had new readings or a changed baseline, so none was scored again.
    assert "Checked 10 posts; scored 0 whose inputs changed" in out.getvalue()
    assert PostScore.objects.count() == 10
    PostMetricSnapshot.objects.filter(post=history[0]).update(reactions=F("reactions") + 7)
    out = io.StringIO()
    call_command("rescore", "--all", "--no-progress", stdout=out)
    # The post itself and the later posts whose baseline includes it.
    assert "Checked 10 posts; scored 5 whose inputs changed" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("rescore", "--organization", "999999")
    with pytest.raises(CommandError):
        call_command("rescore", "--batch-size", "0")


def test_a_large_run_is_split_into_rescore_tasks_of_one_chunk_each(org, sent_tasks, django_capture_on_commit_callbacks,
                                                               monkeypatch):
    monkeypatch.setattr(pipeline, "RESCORE_CHUNK", 2)  # 500 in production; 2 saves creating 1,201 posts
    _campaign, _account, _event, history = account_with_history(org)
    assert len(history) == 5
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.after_snapshots(post_ids=[p.id for p in history])
        pipeline.after_snapshots(post_ids=[])
    sizes = [len(args[0]) for name, args in sent_tasks if name == "metrics.rescore_posts"]
    assert sizes == [2, 2, 1]
