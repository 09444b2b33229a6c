"""The synthetic data: deterministic, recomputable from ids, plausible over time."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.sandbox import synthetic
from metrics.sandbox.profiles import ACCOUNTS, SEED_POSTS

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def test_same_account_same_time_same_everything():
    for (platform, account_id) in list(ACCOUNTS)[:4]:
        a = synthetic.posts(platform, account_id, NOW)
        synthetic._day_posts.cache_clear()
        synthetic._day_times.cache_clear()
        b = synthetic.posts(platform, account_id, NOW)
        assert a == b
        assert [synthetic.post_metrics(p, NOW) for p in a[:20]] == [synthetic.post_metrics(p, NOW) for p in b[:20]]
        assert synthetic.followers(platform, account_id, NOW) == synthetic.followers(platform, account_id, NOW)


@pytest.mark.parametrize("platform,account_id", [
    ("facebook", "104857600000001"), ("instagram", "17841400000000009"), ("x", "1300000000000000002"),
    ("youtube", "UCnouraTastesDemo0000009"), ("facebook", "555000111"), ("instagram", "17841499999999999"),
    ("x", "987654321"), ("youtube", "UCabcdefghijklmnopqrstuv"),
])
def test_every_post_is_found_by_its_id_alone(platform, account_id):
    posts = synthetic.posts(platform, account_id, NOW)
    assert posts, "any account id has posts"
    for p in posts:
        found = synthetic.post_by_id(platform, p.post_id, NOW, account_hint=account_id)
        assert found == p
        bare = synthetic.post_by_id(platform, p.post_id, NOW)
        # Without a hint the account may be unknown for bucket-only ids, the numbers never differ.
        assert bare is not None
        assert synthetic.post_metrics(bare, NOW) == synthetic.post_metrics(p, NOW)
    # A post is not there before it is published.
    assert synthetic.post_by_id(platform, posts[0].post_id, posts[0].published_at - H) is None


def test_ids_look_like_the_platforms():
    fb = synthetic.posts("facebook", "104857600000001", NOW)[0].post_id
    ig = synthetic.posts("instagram", "17841400000000001", NOW)[0].post_id
    x = synthetic.posts("x", "1300000000000000001", NOW)[0]
    yt = synthetic.posts("youtube", "UCtrendingTaiwanDemo00001", NOW)[0].post_id
    assert fb.startswith("104857600000001_") and fb.split("_")[1].isdigit()
    assert ig.isdigit() and len(ig) == 19
    assert len(yt) == 11
    # X ids are snowflakes: the creation time is in the top bits.
    ms = (int(x.post_id) >> 22) + synthetic.X_EPOCH_MS
    assert abs(ms / 1000 - x.published_at.timestamp()) < 1


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10**17, max_value=2**63 - 1))
def test_random_x_ids_are_not_found(n):
    post = synthetic.post_by_id("x", str(n), NOW)
    if post is not None:  # astronomically unlikely; then it must be really on its account's schedule
        assert post.post_id == str(n)


@pytest.mark.parametrize("bad", ["dQw4w9WgXcQ", "AAAAAAAAAAA", "x", "tcHperfPai!"])
def test_random_youtube_ids_are_not_found(bad):
    assert synthetic.post_by_id("youtube", bad, NOW) is None


def test_seeded_posts_are_among_their_accounts_posts_as_given():
    for s in SEED_POSTS:
        post = synthetic.post_by_id(s.platform, s.post_id, NOW)
        assert (post.published_at, post.format, post.title, post.account_id) == \
            (s.published_at, s.format, s.title, s.account_id)
        assert s.post_id in [p.post_id for p in synthetic.posts(s.platform, s.account_id, NOW)]


def test_posting_rate_follows_the_profile_and_defaults_to_about_two_a_day():
    for key in [("x", "1300000000000000001"), ("facebook", "104857600000003")]:
        rate = ACCOUNTS[key].posts_per_day
        n = len(synthetic.posts(*key, NOW))
        assert 0.75 * rate * synthetic.HISTORY_DAYS <= n <= 1.3 * rate * synthetic.HISTORY_DAYS + 10
    unknown = [len(synthetic.posts("facebook", str(10**9 + i), NOW)) / synthetic.HISTORY_DAYS for i in range(30)]
    assert 1.5 <= statistics.mean(unknown) <= 2.5


def test_formats_are_a_realistic_mix():
    fmts = {p.format for p in synthetic.posts("instagram", "17841400000000001", NOW)}
    assert {"image", "carousel", "short_video", "story"} <= fmts
    fmts = {p.format for p in synthetic.posts("youtube", "UCtrendingTaiwanDemo00001", NOW)}
    assert {"video", "short_video"} <= fmts


def test_metrics_grow_fast_on_day_one_then_a_long_tail_and_never_drop():
    posts = synthetic.posts("facebook", "104857600000001", NOW)[100:140]
    for p in posts:
        series = [synthetic.post_metrics(p, p.published_at + k * H)["views"] for k in range(0, 24 * 40, 3)]
        assert series == sorted(series)
        day1 = synthetic.post_metrics(p, p.published_at + 24 * H)["views"]
        month = synthetic.post_metrics(p, p.published_at + 24 * 30 * H)["views"]
        assert 0.5 * month <= day1 < month
        assert synthetic.post_metrics(p, p.published_at)["views"] == 0


def test_day_night_rhythm_in_the_audiences_zone():
    # A week-old post of a Taiwan-audience Page gains more in Taipei's afternoon than at night.
    p = synthetic.posts("facebook", "104857600000001", NOW)[60]
    day0 = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)

    def gain(utc_hour: int) -> int:
        t = day0 + utc_hour * H
        return synthetic.post_metrics(p, t + H)["views"] - synthetic.post_metrics(p, t)["views"]

    afternoon = gain(7)  # 15:00 in Taipei
    night = gain(19)  # 03:00 in Taipei
    assert afternoon > night


def test_some_posts_take_off():
    posts = synthetic.posts("x", "1300000000000000001", NOW)
    finals = sorted(synthetic.post_metrics(p, NOW + 24 * 60 * H)["views"] for p in posts)
    assert finals[-1] > 10 * statistics.median(finals)


def test_followers_grow_slowly_and_countries_follow_the_profile():
    a = synthetic.followers("instagram", "17841400000000009", NOW)
    b = synthetic.followers("instagram", "17841400000000009", NOW + 30 * 24 * H)
    assert a < b < a * 1.05
    countries = synthetic.audience_countries("instagram", "17841400000000009", NOW)
    assert list(countries)[:2] == ["KW", "SA"]
    assert sum(countries.values()) <= a


def test_youtube_durations():
    assert synthetic.iso8601_duration(253) == "PT4M13S"
    assert synthetic.iso8601_duration(3723) == "PT1H2M3S"
    assert synthetic.iso8601_duration(0) == "P0D"


@settings(max_examples=25, deadline=None)
@given(platform=st.sampled_from(synthetic.PLATFORMS), account=st.integers(min_value=1, max_value=10**18),
       days_ago=st.integers(min_value=0, max_value=synthetic.HISTORY_DAYS - 1))
def test_any_accounts_posts_round_trip_through_their_ids(platform, account, days_ago):
    account_id = f"UC{account:022d}" if platform == "youtube" else str(account)
    until = NOW - dt.timedelta(days=days_ago)
    for p in synthetic.posts(platform, account_id, NOW, since=until - 24 * H, until=until):
        assert synthetic.post_by_id(platform, p.post_id, NOW, account_hint=account_id) == p
        assert synthetic.account_of_post(platform, p.post_id)[1] == synthetic.bucket(account_id)
