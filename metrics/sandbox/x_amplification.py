"""X API v2 stand-in: who reshared a post (`GET /2/tweets/:id/retweeted_by`) and who quoted it
(`GET /2/tweets/:id/quote_tweets`).

Both list the newest first, page with `pagination_token`, and count against the same 15-minute window as the
rest of the sandbox's X API. Limits as documented (docs.x.com, Retweets lookup and Quote Tweets lookup):
retweeted_by takes `max_results` 1–100 (default 100), quote_tweets 10–100 (default 10).

The people are synthetic: the n-th reshare of a post (in the order they happened, n counted by the post's own
`retweet_count` curve) is by an invented user whose id is derived from the post and n, except where a seeded
notable account reshared or quoted it (profiles.SEED_AMPLIFICATIONS): that one sits at the position its time
gives it, so a list read today and a list read next week agree on who came when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from metrics.sandbox import common, synthetic
from metrics.sandbox.profiles import NOTABLE_BY_ID, SEED_AMPLIFICATIONS, SeedAmplification


class InvalidParameter(Exception):
    """A query parameter X would refuse; x.py answers it in X's "Invalid Request" shape."""

    def __init__(self, message: str, name: str, raw: str):
        super().__init__(message)
        self.message, self.name, self.raw = message, name, raw


RETWEETERS_LIMITS = (1, 100, 100)  # min, max, default max_results
QUOTES_LIMITS = (10, 100, 10)


def _seeded(post: synthetic.SynthPost, kind: str, now: dt.datetime) -> dict[int, SeedAmplification]:
    """Seeded amplifications of this post that happened by `now`, keyed by their position in the list."""
    metric = "shares" if kind == "reshare" else "quotes"
    found: dict[int, SeedAmplification] = {}
    for seed in SEED_AMPLIFICATIONS:
        if seed.kind == kind and seed.at <= now and post.seed_key == seed.post_key:
            # The seeded one is the newest of those counted at its time.
            position = max(synthetic.post_metrics(post, seed.at).get(metric, 0) - 1, 0)
            while position in found:
                position += 1
            found[position] = seed
    return found


def _synthetic_user(post_id: str, n: int) -> dict[str, str]:
    user_id = str(1500000000000000000 + synthetic.hash_int("amplifier", post_id, n) % 10**17)
    return {"id": user_id, "name": f"Reader {user_id[-5:]}", "username": f"reader{user_id[-7:]}"}


def _notable_user(seed: SeedAmplification) -> dict[str, str]:
    notable = NOTABLE_BY_ID[("x", seed.user_id)]
    return {"id": notable.user_id, "name": notable.name, "username": notable.username}


def _page(request: HttpRequest, total: int, limits: tuple[int, int, int]) -> tuple[int, int]:
    """(offset, limit) from max_results and pagination_token, validated as X validates them."""
    low, high, default = limits
    raw_max = request.GET.get("max_results", str(default))
    if not common.is_number(raw_max) or not low <= int(raw_max) <= high:
        raise InvalidParameter(f"The `max_results` query parameter value [{raw_max}] is not between {low} and "
                               f"{high}", "max_results", raw_max)
    token = request.GET.get("pagination_token", "")
    offset = 0
    if token:
        if not (token.startswith("pg") and token[2:].isdigit() and int(token[2:]) < max(total, 1)):
            raise InvalidParameter(f"The `pagination_token` query parameter value [{token}] is not valid",
                                   "pagination_token", token)
        offset = int(token[2:])
    return offset, int(raw_max)


def retweeted_by(request: HttpRequest, post: synthetic.SynthPost, now: dt.datetime) -> dict[str, Any]:
    total = synthetic.post_metrics(post, now).get("shares", 0)
    seeded = _seeded(post, "reshare", now)
    offset, limit = _page(request, total, RETWEETERS_LIMITS)
    users = []
    for position in range(total - 1 - offset, max(total - 1 - offset - limit, -1), -1):  # newest first
        users.append(_notable_user(seeded[position]) if position in seeded else _synthetic_user(post.post_id, position))
    meta: dict[str, Any] = {"result_count": len(users)}
    if offset + limit < total:
        meta["next_token"] = f"pg{offset + limit}"
    return {"data": users, "meta": meta} if users else {"meta": meta}


def quote_tweets(request: HttpRequest, post: synthetic.SynthPost, now: dt.datetime) -> dict[str, Any]:
    total = synthetic.post_metrics(post, now).get("quotes", 0)
    seeded = _seeded(post, "quote", now)
    offset, limit = _page(request, total, QUOTES_LIMITS)
    fields = set(filter(None, request.GET.get("tweet.fields", "").split(",")))
    expand_authors = "author_id" in request.GET.get("expansions", "").split(",")
    tweets, authors = [], {}
    for position in range(total - 1 - offset, max(total - 1 - offset - limit, -1), -1):
        seed = seeded.get(position)
        author = _notable_user(seed) if seed else _synthetic_user(post.post_id, -1 - position)
        quote_id = seed.quote_id if seed and seed.quote_id else str(
            1800000000000000000 + synthetic.hash_int("quote", post.post_id, position) % 10**17)
        tweet: dict[str, Any] = {"id": quote_id, "text": f"Worth watching https://x.com/i/status/{post.post_id}",
                                 "edit_history_tweet_ids": [quote_id]}
        if "author_id" in fields or expand_authors:
            tweet["author_id"] = author["id"]
        if "created_at" in fields:
            at = seed.at if seed else min(now, post.published_at + dt.timedelta(minutes=7 * (position + 1)))
            tweet["created_at"] = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if "referenced_tweets" in fields:
            tweet["referenced_tweets"] = [{"type": "quoted", "id": post.post_id}]
        tweets.append(tweet)
        authors[author["id"]] = author
    body: dict[str, Any] = {"meta": {"result_count": len(tweets)}}
    if tweets:
        body["data"] = tweets
        if expand_authors:
            body["includes"] = {"users": list(authors.values())}
    if offset + limit < total:
        body["meta"]["next_token"] = f"pg{offset + limit}"
    return body
