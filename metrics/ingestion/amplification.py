"""Find the reshares and quotes of our X posts by accounts on the organization's watch list.

X is the one platform whose public API says who reshared (`retweeted_by`) and who quoted (`quote_tweets`) a
post; elsewhere a team records amplifications by hand. Both lists come newest first, so a pass reads only as many
entries as the post's reshare and quote counts (from its latest reading) grew by since the last pass: a post
nobody reshared since costs nothing, and the pass's cost follows new reshares, not the number of posts.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from campaigns.crypto import TokenUnreadable
from campaigns.models import Account, Amplification, NotableAccount, Post
from metrics.connectors.base import ConnectorError
from metrics.connectors.registry import connector_for
from metrics.connectors.x import Amplifier, XConnector
from metrics.models import AmplificationCheck, IngestionRun, PostMetricSnapshot

log = logging.getLogger(__name__)

# Posts younger than this are watched; older posts are rarely reshared by anyone new.
WATCH_DAYS = 30
# The most entries read for one post in one pass (a first pass over a much-reshared post); later passes read the
# rest of the growth.
MAX_READ_PER_POST = 500


@dataclass
class AmplificationPass:
    accounts: int = 0
    posts_checked: int = 0
    requests: int = 0
    found: int = 0


class _WatchList:
    """An organization's notable X accounts, matched by user id, else by username (then the id is kept)."""

    def __init__(self, notables: list[NotableAccount]):
        self.by_id = {n.platform_user_id: n for n in notables if n.platform_user_id}
        self.by_username = {n.handle.casefold(): n for n in notables}

    def match(self, amplifier: Amplifier) -> NotableAccount | None:
        notable = self.by_id.get(amplifier.user_id)
        if notable is None and amplifier.username:
            notable = self.by_username.get(amplifier.username.casefold())
            if notable is not None and amplifier.user_id and not notable.platform_user_id:
                notable.platform_user_id = amplifier.user_id  # a later change of username still matches
                notable.save(update_fields=["platform_user_id"])
                self.by_id[amplifier.user_id] = notable
        return notable


def _posts_watched(account: Account, since: dt.datetime) -> list[tuple[Post, int, int]]:
    """The account's watched posts with their latest reshare and quote counts (one query)."""
    latest = PostMetricSnapshot.objects.filter(post=OuterRef("pk")).order_by("-slot")
    posts = (
        Post.objects.filter(account=account, status=Post.Status.PUBLISHED, published_at__gte=since)
        .exclude(platform_post_id="")
        .annotate(shares_now=Subquery(latest.values("shares")[:1]), quotes_now=Subquery(latest.values("quotes")[:1]))
        .select_related("amplification_check")
    )
    return [(post, post.shares_now or 0, post.quotes_now or 0) for post in posts]


def _record(post: Post, notable: NotableAccount, kind: str, amplifier: Amplifier) -> bool:
    link = (f"https://x.com/i/status/{amplifier.item_id}" if amplifier.item_id
            else f"https://x.com/i/status/{post.platform_post_id}/retweets")
    try:
        with transaction.atomic():
            _, created = Amplification.objects.get_or_create(
                post=post, notable=notable, kind=kind, platform_item_id=amplifier.item_id,
                defaults={"source": Amplification.Source.FOUND, "occurred_at": amplifier.at, "link": link},
            )
    except IntegrityError:  # another pass recorded it first
        return False
    return created


def account_amplifications_find(*, account: Account, watch: _WatchList, now: dt.datetime) -> AmplificationPass:
    result = AmplificationPass(accounts=1)
    try:
        conn = connector_for("x", account_platform_id=account.platform_id, access_token=account.get_access_token())
    except TokenUnreadable:
        return result  # the refresh marks the account for reconnecting; nothing to add here
    assert isinstance(conn, XConnector)
    run = IngestionRun.objects.create(platform="x", account=account, kind="amplification")
    try:
        for post, shares, quotes in _posts_watched(account, now - dt.timedelta(days=WATCH_DAYS)):
            check = getattr(post, "amplification_check", None) or AmplificationCheck(post=post)
            new_shares = shares - check.shares_seen
            new_quotes = quotes - check.quotes_seen
            if new_shares <= 0 and new_quotes <= 0:
                continue
            result.posts_checked += 1
            if new_shares > 0:
                for amplifier in conn.resharers(post.platform_post_id, newest=min(new_shares, MAX_READ_PER_POST)):
                    notable = watch.match(amplifier)
                    result.found += bool(notable and _record(post, notable, Amplification.Kind.RESHARE, amplifier))
                check.shares_seen = shares
            if new_quotes > 0:
                for amplifier in conn.quoters(post.platform_post_id, newest=min(new_quotes, MAX_READ_PER_POST)):
                    notable = watch.match(amplifier)
                    result.found += bool(notable and _record(post, notable, Amplification.Kind.QUOTE, amplifier))
                check.quotes_seen = quotes
            check.checked_at = now
            check.save()
        run.status = IngestionRun.Status.SUCCESS
    except ConnectorError as error:
        # A rate limit or an outage ends this account's pass; posts already checked keep their progress and
        # the rest are read on the next pass.
        log.warning("amplification pass for account %s stopped: %s", account.pk, error.code)
        run.errors = [error.as_record()]
        run.status = IngestionRun.Status.FAILED
    run.requests_made = conn.requests_made
    run.posts_refreshed = result.posts_checked
    run.finished_at = timezone.now()
    run.save()
    result.requests = conn.requests_made
    return result


def amplifications_find(*, now: dt.datetime | None = None) -> AmplificationPass:
    """One pass over every connected X account whose organization watches notable X accounts."""
    now = now or timezone.now()
    notables: dict[int, list[NotableAccount]] = {}
    for notable in NotableAccount.objects.filter(platform="x"):
        notables.setdefault(notable.organization_id, []).append(notable)
    total = AmplificationPass()
    accounts = Account.objects.filter(platform="x", organization_id__in=notables,
                                      connection_state=Account.Connection.CONNECTED)
    for account in accounts:
        part = account_amplifications_find(account=account, watch=_WatchList(notables[account.organization_id]),
                                           now=now)
        total.accounts += part.accounts
        total.posts_checked += part.posts_checked
        total.requests += part.requests
        total.found += part.found
    return total
