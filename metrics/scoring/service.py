"""Scoring, the Django side: gather posts and their baselines in bulk, call metrics.scoring, store PostScore.

A batch of posts costs a fixed number of queries per account involved (never one per post): the
posts, the account's earlier posts in the novelty window plus its last BASELINE_POSTS before the
batch, and the snapshots of all of them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import pickle
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from campaigns.models import Post
from metrics import scoring
from metrics.models import PostMetricSnapshot, PostScore, ScoreWeights
from metrics.vocabulary import PRINCIPLES

BATCH_SIZE = 500
ID_CHUNK = 900  # keeps IN (...) lists well inside SQLite's variable limit

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- Weights ---------------------------------------------------------------------------------
def weights_for(*, organization_id: int) -> scoring.Weights:
    row = ScoreWeights.objects.filter(organization_id=organization_id).first()
    return weights_from_row(row)


def weights_from_row(row: ScoreWeights | None) -> scoring.Weights:
    if row is None:
        return scoring.Weights(**scoring.DEFAULT_PRINCIPLE_WEIGHTS)
    return scoring.Weights(**{p: getattr(row, p) for p in PRINCIPLES})


def _weights_by_org(org_ids: Iterable[int]) -> dict[int, scoring.Weights]:
    ids = set(org_ids)
    rows = {w.organization_id: w for w in ScoreWeights.objects.filter(organization_id__in=ids)}
    return {org_id: weights_from_row(rows.get(org_id)) for org_id in ids}


@transaction.atomic
def weights_save(*, organization_id: int, weights: scoring.Weights,
                 by: User | None = None) -> ScoreWeights:
    """Store an organization's weights and bring its stored overall scores in line with them."""
    row, _ = ScoreWeights.objects.update_or_create(
        organization_id=organization_id,
        defaults={**{p: int(getattr(weights, p)) for p in PRINCIPLES}, "updated_by": by},
    )
    scores = PostScore.objects.filter(post__account__organization_id=organization_id,
                                      method_version=scoring.METHOD_VERSION).order_by("pk")
    changed: list[PostScore] = []
    for score in scores.iterator(chunk_size=BATCH_SIZE):
        score.overall, effective = scoring.overall_score({p: getattr(score, p) for p in PRINCIPLES}, weights)
        score.explanation = {**score.explanation, "weights": weights.as_dict(),
                             "effective_weights": {k: round(v, 4) for k, v in effective.items()},
                             "overall": None if score.overall is None else round(score.overall, 2)}
        changed.append(score)
        if len(changed) >= BATCH_SIZE:
            PostScore.objects.bulk_update(changed, ["overall", "explanation"])
            changed = []
    PostScore.objects.bulk_update(changed, ["overall", "explanation"])
    return row


# --- Gathering facts -------------------------------------------------------------------------
READING_FIELDS = ("post_id", "captured_at", "reactions", "comments", "shares", "quotes", "saves", "reach",
                  "impressions", "views")


@dataclass(frozen=True)
class PostReadings:
    readings: tuple[scoring.Reading, ...]
    digest: str  # of the rows as read: a changed or added reading changes it


NO_READINGS = PostReadings((), "")


def _readings_for(post_ids: Iterable[int]) -> dict[int, PostReadings]:
    """Each post's readings, in time order, and a digest of them (one query per ID_CHUNK posts)."""
    rows_of: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for chunk in _chunks(sorted(set(post_ids)), ID_CHUNK):
        query = (PostMetricSnapshot.objects.filter(post_id__in=chunk)
                 .order_by("post_id", "captured_at", "slot", "id").values_list(*READING_FIELDS))
        for row in query.iterator(chunk_size=5000):
            rows_of[row[0]].append(row)
    return {pid: PostReadings(tuple(_reading_of(*row[1:]) for row in rows),
                              hashlib.sha256(pickle.dumps(rows, protocol=5)).hexdigest())
            for pid, rows in rows_of.items()}


def _reading_of(captured_at: dt.datetime, reactions: int | None, comments: int | None, shares: int | None,
                quotes: int | None, saves: int | None, reach: int | None, impressions: int | None,
                views: int | None) -> scoring.Reading:
    if quotes is not None:  # a quote on X is a share with a comment: count it as a share
        shares = (shares or 0) + quotes
    return scoring.Reading(captured_at, reactions, comments, shares, saves, reach, impressions, views)


def _reading(row: Mapping[str, Any]) -> scoring.Reading:
    """A snapshot's values (by name) as the scoring reads them."""
    return _reading_of(*(row[name] for name in READING_FIELDS[1:]))


def _published_at(post: Post) -> dt.datetime:
    # scoring_inputs fetches published posts only; the field's type cannot say so.
    if post.published_at is None:
        raise ValueError(f"post {post.pk} is not published")
    return post.published_at


def _post_facts(post: Post, readings: tuple[scoring.Reading, ...]) -> scoring.PostFacts:
    campaign, series, event = post.campaign, post.series, post.event
    audience = scoring.AudienceFacts(
        timezone=series.timezone if series else "",
        target_countries=tuple(campaign.target_countries or ()) if campaign else (),
        languages=tuple(campaign.languages or ()) if campaign else (),
    )
    return scoring.PostFacts(
        platform=post.account.platform, published_at=_published_at(post), format=post.format,
        traits=frozenset(post.traits or ()), language=post.language or "", readings=readings,
        event=scoring.EventFacts(event.name, event.starts_at) if event else None, audience=audience,
    )


def _digest(*parts: object) -> str:
    # repr of dates, numbers, strings and the frozen dataclasses is stable across processes.
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class ScoringInput:
    post: Post
    facts: scoring.PostFacts
    history: tuple[scoring.PastPost, ...]
    weights: scoring.Weights
    digest: str = ""  # of everything above that the score depends on: equal digest, equal score


@dataclass
class AccountHistory:
    """One account's posts read so far in a run, as the baseline sees them, with a digest each.

    A run scores an account's posts in time order, so each batch's targets are the next batch's
    history: every post's snapshots are read once per run, not once per later post or batch."""

    posts: dict[int, scoring.PastPost] = field(default_factory=dict)
    digests: dict[int, str] = field(default_factory=dict)

    def add(self, post_id: int, past: scoring.PastPost, readings_digest: str) -> None:
        self.posts[post_id] = past
        self.digests[post_id] = _digest(past.published_at, past.format, readings_digest)

    def forget_before(self, moment: dt.datetime) -> None:
        """Drop what no post published from `moment` on can use (memory stays bounded)."""
        window_start = moment - dt.timedelta(days=scoring.NOVELTY_WINDOW_DAYS)
        newest = sorted(self.posts, key=lambda pid: (self.posts[pid].published_at, pid))[-scoring.BASELINE_POSTS:]
        keep = {pid for pid, p in self.posts.items() if p.published_at >= window_start} | set(newest)
        for pid in list(self.posts):
            if pid not in keep:
                del self.posts[pid], self.digests[pid]


def _account_inputs(account_id: int, targets: Sequence[Post], known: AccountHistory,
                    weights: scoring.Weights) -> list[ScoringInput]:
    """Inputs for some of one account's posts (published, sorted by time), reading only what `known` lacks."""
    # Its posts from the novelty window before the earliest target up to the latest target, plus its
    # last BASELINE_POSTS posts before the earliest target (which may be older).
    first, last = _published_at(targets[0]), _published_at(targets[-1])
    window = Post.objects.filter(
        account_id=account_id, published_at__gte=first - dt.timedelta(days=scoring.NOVELTY_WINDOW_DAYS),
        published_at__lt=last,
    ).values_list("id", "published_at", "format")
    older = (Post.objects.filter(account_id=account_id, published_at__lt=first)
             .order_by("-published_at", "-id").values_list("id", "published_at", "format")[:scoring.BASELINE_POSTS])
    rows = {pid: (pid, at, fmt) for pid, at, fmt in [*window, *older] if at is not None}  # (never None: filtered)
    target_ids = {p.id for p in targets}
    readings = _readings_for([pid for pid in rows.keys() | target_ids if pid not in known.posts])
    for pid, published_at, fmt in rows.values():
        if pid not in known.posts and pid not in target_ids:
            read = readings.get(pid, NO_READINGS)
            known.add(pid, scoring.PastPost(published_at, fmt, read.readings), read.digest)
    facts = {}
    for post in targets:
        if post.id not in known.posts:
            read = readings.get(post.id, NO_READINGS)
            known.add(post.id, scoring.PastPost(_published_at(post), post.format, read.readings), read.digest)
        facts[post.id] = _post_facts(post, known.posts[post.id].readings)

    ordered = sorted(rows.values(), key=lambda r: (r[1], r[0]))
    past = [known.posts[r[0]] for r in ordered]
    past_digests = [known.digests[r[0]] for r in ordered]
    times = [r[1] for r in ordered]
    inputs = []
    for post in targets:
        # Only what the method can use: earlier posts in the novelty window or among the last 30.
        published_at = _published_at(post)
        end = bisect.bisect_left(times, published_at)
        window_start = published_at - dt.timedelta(days=scoring.NOVELTY_WINDOW_DAYS)
        start = min(bisect.bisect_left(times, window_start), max(0, end - scoring.BASELINE_POSTS))
        f = facts[post.id]
        digest = _digest(scoring.METHOD_VERSION, f.platform, f.published_at, f.format, sorted(f.traits), f.language,
                         f.event, f.audience, known.digests[post.id], past_digests[start:end], weights)
        inputs.append(ScoringInput(post, f, tuple(past[start:end]), weights, digest))
    return inputs


def _targets(post_ids: Iterable[int]) -> list[Post]:
    found: list[Post] = []
    for chunk in _chunks(sorted(set(post_ids)), ID_CHUNK):
        found.extend(Post.objects.filter(id__in=chunk, published_at__isnull=False)
                     .select_related("account", "campaign", "series", "event"))
    found.sort(key=lambda p: (p.account_id, _published_at(p), p.id))
    return found


def scoring_inputs(post_ids: Iterable[int]) -> list[ScoringInput]:
    """Everything needed to score these posts, fetched in bulk. Unpublished posts are skipped."""
    posts = _targets(post_ids)
    weights = _weights_by_org(p.account.organization_id for p in posts)
    inputs: list[ScoringInput] = []
    for account_id, group in itertools.groupby(posts, key=lambda p: p.account_id):
        targets = list(group)
        inputs += _account_inputs(account_id, targets, AccountHistory(), weights[targets[0].account.organization_id])
    return inputs


# --- Scoring and storing ---------------------------------------------------------------------
def post_score_compute(*, post_id: int) -> scoring.ScoreResult | None:
    """Score one post now without storing it (None when it is not published)."""
    found = scoring_inputs([post_id])
    if not found:
        return None
    item = found[0]
    return scoring.score_post(item.facts, item.history, item.weights)


def _score_row(item: ScoringInput, now: dt.datetime) -> PostScore:
    result = scoring.score_post(item.facts, item.history, item.weights)
    return PostScore(
        post_id=item.post.id, method_version=result.method_version, computed_at=now,
        overall=result.overall, explanation=result.as_dict(), inputs_digest=item.digest,
        **{p.key: p.score for p in result.principles},
    )


def posts_rescore(*, post_ids: Iterable[int], batch_size: int = BATCH_SIZE) -> int:
    """Compute and store the scores of these posts (upsert per post and method version); returns how
    many were scored. A post whose inputs and baseline are what its stored score was computed from
    keeps that score.

    Account by account, in time order, `batch_size` posts at a time: memory holds one batch and the
    account's recent history, whatever the number of posts."""
    stored = 0
    ids = sorted(set(post_ids))
    plan = []  # (account, organization, published_at, id): a few ints per post
    for chunk in _chunks(ids, ID_CHUNK):
        plan += list(Post.objects.filter(id__in=chunk, published_at__isnull=False)
                     .values_list("account_id", "account__organization_id", "published_at", "id"))
    plan.sort()
    weights = _weights_by_org(org for _a, org, _p, _i in plan)
    for account_id, group in itertools.groupby(plan, key=lambda row: row[0]):
        rows = list(group)
        known = AccountHistory()
        for batch in _chunks(rows, batch_size):
            targets = _targets(r[3] for r in batch)
            if not targets:
                continue
            items = _account_inputs(account_id, targets, known, weights[batch[0][1]])
            current = dict(PostScore.objects.filter(post_id__in=[i.post.id for i in items],
                                                    method_version=scoring.METHOD_VERSION)
                           .values_list("post_id", "inputs_digest"))
            now = timezone.now()
            changed = [_score_row(item, now) for item in items if current.get(item.post.id) != item.digest]
            PostScore.objects.bulk_create(
                changed, batch_size=batch_size, update_conflicts=True, unique_fields=["post", "method_version"],
                update_fields=["computed_at", "overall", "explanation", "inputs_digest", *PRINCIPLES],
            )
            stored += len(changed)
            known.forget_before(_published_at(targets[-1]))
    return stored


def posts_to_rescore(*, organization_id: int | None = None, everything: bool = False) -> list[int]:
    """Published posts to score, ordered so batches stay within one account's time range.

    Without `everything`, only the posts that have no score for the current method version.
    """
    qs = Post.objects.filter(published_at__isnull=False)
    if organization_id is not None:
        qs = qs.filter(account__organization_id=organization_id)
    if not everything:
        qs = qs.exclude(scores__method_version=scoring.METHOD_VERSION)
    return list(qs.order_by("account_id", "published_at", "id").values_list("id", flat=True))


def post_score_get(*, post_id: int) -> PostScore | None:
    return PostScore.objects.filter(post_id=post_id, method_version=scoring.METHOD_VERSION).first()


# --- Campaign summary ------------------------------------------------------------------------
DISTRIBUTION_BUCKETS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))


@dataclass(frozen=True)
class CampaignScoreSummary:
    posts_published: int
    posts_scored: int
    averages: dict[str, float | None]  # principle (and "overall") → mean of the scored posts
    distribution: list[tuple[str, int]]  # overall score bucket label → number of posts
    weakest: str | None  # the principle with the lowest average
    strongest: str | None


def campaign_score_summary(*, campaign_id: int) -> CampaignScoreSummary:
    published = Post.objects.filter(campaign_id=campaign_id, published_at__isnull=False).count()
    rows = list(PostScore.objects.filter(post__campaign_id=campaign_id, method_version=scoring.METHOD_VERSION)
                .values_list(*PRINCIPLES, "overall"))
    averages: dict[str, float | None] = {}
    for index, name in enumerate((*PRINCIPLES, "overall")):
        values = [r[index] for r in rows if r[index] is not None]
        averages[name] = sum(values) / len(values) if values else None
    distribution = []
    for low, high in DISTRIBUTION_BUCKETS:
        label = f"{low}–{min(high, 100)}"
        distribution.append((label, sum(1 for r in rows if r[4] is not None and low <= r[4] < high)))
    ranked = sorted((v, k) for k, v in averages.items() if k != "overall" and v is not None)
    return CampaignScoreSummary(
        posts_published=published, posts_scored=len(rows), averages=averages, distribution=distribution,
        weakest=ranked[0][1] if ranked else None, strongest=ranked[-1][1] if len(ranked) > 1 else None,
    )


# --- Weights preview -------------------------------------------------------------------------
PREVIEW_POSTS = 100
PREVIEW_MOVERS = 5


@dataclass(frozen=True)
class RankMove:
    post_id: int
    title: str
    before: float
    after: float
    rank_before: int
    rank_after: int

    @property
    def moved(self) -> int:
        return self.rank_before - self.rank_after  # positive: climbed


@dataclass(frozen=True)
class WeightsPreview:
    posts: int
    average_before: float | None
    average_after: float | None
    movers: list[RankMove]


def _ranks(values: dict[int, float]) -> dict[int, int]:
    order = sorted(values, key=lambda pid: (-values[pid], pid))
    return {pid: index + 1 for index, pid in enumerate(order)}


def weights_preview(*, organization_id: int, weights: scoring.Weights, limit: int = PREVIEW_POSTS) -> WeightsPreview:
    """The effect of new weights on the organization's last `limit` scored posts, before saving."""
    current = weights_for(organization_id=organization_id)
    rows = list(
        PostScore.objects.filter(post__account__organization_id=organization_id, method_version=scoring.METHOD_VERSION,
                                 post__published_at__isnull=False)
        .order_by("-post__published_at", "-post_id")
        .values_list("post_id", "post__title", "post__body", *PRINCIPLES)[:limit]
    )
    before, after, titles = {}, {}, {}
    for post_id, title, body, *scores in rows:
        principles = dict(zip(PRINCIPLES, scores, strict=True))
        old, _ = scoring.overall_score(principles, current)
        new, _ = scoring.overall_score(principles, weights)
        if old is None or new is None:
            continue
        before[post_id], after[post_id] = old, new
        titles[post_id] = title or (body or "")[:60] or f"#{post_id}"
    rank_before, rank_after = _ranks(before), _ranks(after)
    moves = [RankMove(pid, titles[pid], before[pid], after[pid], rank_before[pid], rank_after[pid]) for pid in before]
    moves.sort(key=lambda m: (-abs(m.moved), -abs(m.after - m.before), m.post_id))
    return WeightsPreview(
        posts=len(before),
        average_before=sum(before.values()) / len(before) if before else None,
        average_after=sum(after.values()) / len(after) if after else None,
        movers=[m for m in moves if m.moved][:PREVIEW_MOVERS],
    )

