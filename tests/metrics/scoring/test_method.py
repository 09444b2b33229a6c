"""The pure scoring: hand-computed examples for every component, properties, missing data, cold start.

No database: these run in milliseconds.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics import scoring as s

WHA = dt.datetime(2026, 5, 18, 8, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def reading(published: dt.datetime, age_h: float, **metrics) -> s.Reading:
    return s.Reading(captured_at=published + dt.timedelta(hours=age_h), **metrics)


def post(**kw) -> s.PostFacts:
    defaults = {"platform": "facebook", "published_at": WHA - 2 * H, "format": "image"}
    return s.PostFacts(**{**defaults, **kw})


def past(published: dt.datetime, fmt: str = "image", *readings: s.Reading) -> s.PastPost:
    return s.PastPost(published, fmt, tuple(readings))


def history_with(values: list[dict], *, fmt: str = "image", age_h: float = 24.0,
                 start: dt.datetime = WHA - 20 * D) -> list[s.PastPost]:
    """One earlier post a day, each with one reading at `age_h` carrying the given metrics."""
    out = []
    for i, metrics in enumerate(values):
        published = start + i * D
        out.append(past(published, fmt, reading(published, age_h, **metrics)))
    return out


def component(result: s.ScoreResult, key: str) -> s.Component:
    spec = s.COMPONENTS_BY_KEY[key]
    return next(c for c in result.principle(spec.principle).components if c.key == key)


# --- Timeliness: lead time -------------------------------------------------------------------
@pytest.mark.parametrize(("offset_h", "expected"), [
    (-2, 100.0),  # before the event
    (-24 * 40, 100.0),  # long before still counts as before
    (0, 100.0),  # at the moment
    (0.5, 100.0),  # within the one-hour grace
    (13, 50.0),  # (13 − 1) / 12 = one half-life
    (25, 25.0),  # two half-lives
])
def test_lead_time_hand_computed(offset_h, expected):
    result = s.score_post(post(published_at=WHA + offset_h * H, event=s.EventFacts("WHA opening", WHA)))
    assert component(result, "lead_time").value == pytest.approx(expected)


def test_lead_time_reason_reads_like_a_sentence():
    result = s.score_post(post(published_at=WHA - 2 * H, event=s.EventFacts("the WHA opening in Geneva", WHA)))
    c = component(result, "lead_time")
    assert c.reason.text == "published 2 h before the WHA opening in Geneva"
    # The only timeliness component with data here, so it carries the whole principle.
    assert c.effective_weight == 1.0 and c.contribution == 100.0


def test_lead_time_without_event_is_unavailable_not_zero():
    result = s.score_post(post(event=None))
    c = component(result, "lead_time")
    assert c.value is None and not c.available and c.effective_weight == 0
    assert "not tied to an event" in c.reason.text


# --- Timeliness: audience hours --------------------------------------------------------------
def test_audience_hours_in_the_series_zone():
    # 23:00 UTC is 19:00 in New York (EDT): the evening peak.
    facts = post(published_at=dt.datetime(2026, 5, 18, 23, 0, tzinfo=dt.UTC),
                 audience=s.AudienceFacts(timezone="America/New_York"))
    c = component(s.score_post(facts), "audience_hours")
    assert c.value == 100.0
    assert "19:00" in c.reason.text and "America/New_York" in c.reason.text


def test_audience_hours_from_the_first_target_country():
    # 06:00 UTC is 13:00 in Ho Chi Minh City: lunchtime, 90.
    facts = post(published_at=dt.datetime(2026, 5, 18, 6, 0, tzinfo=dt.UTC),
                 audience=s.AudienceFacts(target_countries=("VN", "US")))
    assert component(s.score_post(facts), "audience_hours").value == 90.0


def test_audience_hours_unknown_zone_is_unavailable():
    c = component(s.score_post(post(audience=s.AudienceFacts(target_countries=("ZZ",)))), "audience_hours")
    assert c.value is None


def test_active_hours_cover_the_day_once():
    hours = [h for start, end, _score, _label in s.ACTIVE_HOURS for h in range(start, end)]
    assert hours == list(range(24))


# --- Timeliness: early velocity --------------------------------------------------------------
def test_early_velocity_against_the_accounts_usual_first_day():
    history = history_with([{"reactions": n} for n in (10, 20, 30, 40, 50)])  # median 30
    facts = post(readings=(reading(WHA - 2 * H, 24, reactions=60, comments=20, shares=10),))  # 90 = 3 × usual
    c = component(s.score_post(facts, history), "early_velocity")
    assert c.value == pytest.approx(75.0)
    assert c.reason.params == {"count": 90, "usual": 30}


def test_early_velocity_cold_start_uses_the_platform_default():
    # 56 / 1000 = 5.6 %; facebook's first day is 3.5 % × 0.8 = 2.8 %: twice → 100 × 2 / 3.
    facts = post(readings=(reading(WHA - 2 * H, 24, reactions=56, reach=1000),))
    result = s.score_post(facts, history_with([{"reactions": 5}] * 4))  # 4 < MIN_HISTORY
    assert component(result, "early_velocity").value == pytest.approx(200 / 3)
    assert result.baseline.source == "platform_default"
    assert "platform-wide defaults for facebook" in result.baseline.note.text
    assert "early velocity" in result.baseline.note.text


def test_early_velocity_needs_a_reading_near_24_hours():
    facts = post(readings=(reading(WHA - 2 * H, 72, reactions=56, reach=1000),))
    assert component(s.score_post(facts), "early_velocity").value is None


def test_principle_combines_components_by_weight():
    # lead 100 × .35 + hours 90 × .25 + velocity 75 × .40 = 35 + 22.5 + 30 = 87.5
    history = history_with([{"reactions": n} for n in (10, 20, 30, 40, 50)])
    published = dt.datetime(2026, 5, 18, 6, 0, tzinfo=dt.UTC)
    facts = post(published_at=published, event=s.EventFacts("WHA", WHA), audience=s.AudienceFacts("Asia/Ho_Chi_Minh"),
                 readings=(reading(published, 24, reactions=90),))
    result = s.score_post(facts, history)
    assert result.principle("timeliness").score == pytest.approx(87.5)
    assert component(result, "lead_time").contribution == pytest.approx(35.0)  # "... before WHA: +35"
    # Without the event its .35 is shared out: (22.5 + 30) / .65
    result = s.score_post(dataclasses.replace(facts, event=None), history)
    assert result.principle("timeliness").score == pytest.approx(52.5 / 0.65)
    assert component(result, "audience_hours").effective_weight == pytest.approx(0.25 / 0.65)


# --- Authenticity ----------------------------------------------------------------------------
def test_declared_traits_add_up_and_cap_at_100():
    two = post(traits=frozenset({"behind_the_scenes", "real_person", "call_to_action"}))
    assert component(s.score_post(two), "declared_traits").value == 70.0
    four = post(traits=frozenset(s.TRAIT_POINTS))
    assert component(s.score_post(four), "declared_traits").value == 100.0
    assert component(s.score_post(post()), "declared_traits").value == 0.0


@pytest.mark.parametrize(("language", "audience", "expected"), [
    ("vi", s.AudienceFacts(target_countries=("VN",), languages=("en",)), 100.0),  # a target country's language
    ("en-US", s.AudienceFacts(languages=("en",)), 100.0),  # primary subtags compared
    ("fr", s.AudienceFacts(target_countries=("VN",), languages=("en",)), 0.0),
    ("", s.AudienceFacts(languages=("en",)), None),  # language not set: unavailable
    ("en", s.AudienceFacts(), None),  # campaign names nothing: unavailable
])
def test_own_language(language, audience, expected):
    assert component(s.score_post(post(language=language, audience=audience)), "own_language").value == expected


def test_conversation_depth_against_the_accounts_usual_ratio():
    # Baseline depths at 7 days: 0.1, 0.2, 0.2, 0.3, 0.4 → median 0.2; post (30 + 10) / 100 = 0.4 → r = 2.
    history = history_with([{"reactions": 100, "comments": c} for c in (10, 20, 20, 30, 40)], age_h=168)
    facts = post(readings=(reading(WHA - 2 * H, 168, reactions=100, comments=30, shares=10),))
    c = component(s.score_post(facts, history), "conversation_depth")
    assert c.value == pytest.approx(200 / 3)


def test_conversation_depth_cold_start_and_missing():
    facts = post(platform="instagram", readings=(reading(WHA, 168, reactions=100, comments=6),))
    assert component(s.score_post(facts), "conversation_depth").value == pytest.approx(50.0)  # = default 0.06
    no_comments = post(readings=(reading(WHA, 168, reactions=100),))
    assert component(s.score_post(no_comments), "conversation_depth").value is None


# --- Format experimentation ------------------------------------------------------------------
def test_novelty_new_rare_and_routine():
    images = [past(WHA - (i + 1) * D, "image") for i in range(10)]
    assert component(s.score_post(post(format="short_video"), images), "novelty").value == 100.0
    assert component(s.score_post(post(format="image"), images), "novelty").value == 0.0
    # 3 videos among the last 30 posts (10 %) inside the window: rare → 60.
    mixed = [past(WHA - (i + 1) * D, "video" if i % 10 == 0 else "image") for i in range(30)]
    c = component(s.score_post(post(format="video"), mixed), "novelty")
    assert c.value == 60.0 and c.reason.params["used"] == 3
    # Used 100 days ago only: new again within the 90-day window.
    old = [*images, past(WHA - 100 * D, "carousel")]
    assert component(s.score_post(post(format="carousel"), old), "novelty").value == 100.0


def test_novelty_needs_history():
    assert component(s.score_post(post(format="short_video")), "novelty").value is None


def test_newer_formats():
    assert component(s.score_post(post(format="carousel")), "newer_format").value == 70.0
    assert component(s.score_post(post(format="short_video")), "newer_format").value == 100.0
    assert component(s.score_post(post(format="link")), "newer_format").value == 0.0


def test_experiment_outcome_trying_and_succeeding():
    history = history_with([{"reactions": n} for n in (50, 100, 100, 150, 200)], age_h=168)  # median 100
    tried = post(format="short_video", readings=(reading(WHA - 2 * H, 168, reactions=300),))
    result = s.score_post(tried, history)
    assert component(result, "experiment_outcome").value == pytest.approx(75.0)
    # Trying alone (as usual: r = 1 → 50) earns less than trying and succeeding.
    usual = post(format="short_video", readings=(reading(WHA - 2 * H, 168, reactions=100),))
    assert component(s.score_post(usual, history), "experiment_outcome").value == pytest.approx(50.0)
    # A routine format is no experiment: nothing to reward, however well it did.
    routine = post(format="image", readings=(reading(WHA - 2 * H, 168, reactions=900),))
    assert component(s.score_post(routine, history), "experiment_outcome").value == 0.0


# --- Interactivity ---------------------------------------------------------------------------
def test_interaction_rate_percentile_among_recent_posts():
    # Baseline rates over reach: 1 %, 2 %, 3 %, 4 %, 5 %; the post's 3.5 % is above three → 60.
    history = history_with([{"reactions": n, "reach": 1000} for n in (10, 20, 30, 40, 50)], age_h=168)
    facts = post(readings=(reading(WHA - 2 * H, 168, reactions=30, comments=5, reach=1000),))
    result = s.score_post(facts, history)
    c = component(result, "interaction_rate")
    assert c.value == pytest.approx(60.0)
    assert "reach" in c.reason.text and result.baseline.denominator == "reach"
    # A tie counts half: 3 % → (2 + 0.5) / 5 = 50.
    tie = post(readings=(reading(WHA - 2 * H, 168, reactions=30, reach=1000),))
    assert component(s.score_post(tie, history), "interaction_rate").value == pytest.approx(50.0)


def test_interaction_rate_falls_back_to_impressions_then_views_and_says_so():
    no_reach = post(platform="x", readings=(reading(WHA, 168, reactions=15, impressions=1000),))
    c = component(s.score_post(no_reach), "interaction_rate")
    assert c.reason.params["denominator"] == "impressions"
    assert c.value == pytest.approx(50.0)  # 1.5 % = x's default
    views_only = post(platform="youtube", readings=(reading(WHA, 168, reactions=40, views=1000),))
    assert component(s.score_post(views_only), "interaction_rate").reason.params["denominator"] == "views"


def test_interaction_rate_missing_denominator_is_unavailable():
    facts = post(readings=(reading(WHA, 168, reactions=15, comments=3),))
    c = component(s.score_post(facts), "interaction_rate")
    assert c.value is None and "no reach, impressions or views" in c.reason.text


def test_interactive_devices():
    assert component(s.score_post(post(traits=frozenset({"prize_draw"}))), "interactive_devices").value == 50.0
    poll = post(format="poll", traits=frozenset({"call_to_action"}))
    assert component(s.score_post(poll), "interactive_devices").value == 100.0  # 60 + 50, capped
    assert component(s.score_post(post(format="live")), "interactive_devices").value == 70.0
    assert component(s.score_post(post()), "interactive_devices").value == 0.0


# --- Overall, missing data, cold start -------------------------------------------------------
def test_overall_is_the_weighted_mean_of_the_available_principles():
    scores = {"timeliness": 80.0, "authenticity": 40.0, "format": 20.0, "interactivity": None}
    overall, effective = s.overall_score(scores, s.Weights(50, 25, 25, 100))
    assert overall == pytest.approx((80 * 50 + 40 * 25 + 20 * 25) / 100)
    assert effective["interactivity"] == 0
    assert s.overall_score({p: None for p in s.PRINCIPLES})[0] is None


def test_a_post_without_metrics_is_scored_on_its_planned_facts_only():
    result = s.score_post(post(event=s.EventFacts("WHA", WHA), traits=frozenset({"real_person"})))
    assert result.overall is not None
    for key in ("early_velocity", "conversation_depth", "interaction_rate"):
        assert component(result, key).value is None
    assert "no metrics yet" in result.baseline.note.text
    as_json = result.as_dict()
    assert as_json["method_version"] == s.METHOD_VERSION
    assert {c["key"] for p in as_json["principles"] for c in p["components"]} == set(s.COMPONENTS_BY_KEY)


def test_a_principle_with_no_data_is_left_out_of_the_overall_and_said_so():
    # No event, no audience zone, no metrics: timeliness has nothing to score.
    result = s.score_post(post(traits=frozenset({"real_person"}), format="poll",
                               audience=s.AudienceFacts(languages=("en",)), language="en"))
    assert result.principle("timeliness").score is None
    assert result.effective_weights["timeliness"] == 0
    others = [result.principle(p).score for p in ("authenticity", "format", "interactivity")]
    assert result.overall == pytest.approx(sum(others) / 3)
    assert any("Timeliness" in n.text for n in result.notes)


def test_baseline_compares_at_the_same_age():
    # Baseline posts read at 24 h and at 7 days: a 7-day-old post is compared with their 7-day readings.
    history = []
    for i, n in enumerate((10, 20, 30, 40, 50)):
        published = WHA - (20 - i) * D
        history.append(past(published, "image", reading(published, 24, reactions=1, reach=1000),
                            reading(published, 168, reactions=n, reach=1000)))
    facts = post(readings=(reading(WHA - 2 * H, 24, reactions=1, reach=1000),
                           reading(WHA - 2 * H, 168, reactions=35, reach=1000)))
    result = s.score_post(facts, history)
    assert component(result, "interaction_rate").value == pytest.approx(60.0)
    assert result.baseline.age_hours == pytest.approx(168)
    assert result.baseline.source == "account"


# --- Properties ------------------------------------------------------------------------------
counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10**7))
readings_st = st.lists(
    st.builds(lambda age, r, c, sh, sv, reach, imp, views: (age, dict(
        reactions=r, comments=c, shares=sh, saves=sv, reach=reach, impressions=imp, views=views)),
        st.floats(min_value=0, max_value=24 * 60), counts, counts, counts, counts, counts, counts, counts),
    max_size=4,
)
formats = st.sampled_from(["text", "link", "image", "carousel", "video", "short_video", "story", "live", "poll"])
traits_st = st.frozensets(st.sampled_from(["behind_the_scenes", "real_person", "original_footage",
                                           "user_generated", "call_to_action", "poll", "prize_draw", "live_qa"]))


@st.composite
def facts_and_history(draw):
    published = WHA + dt.timedelta(hours=draw(st.floats(min_value=-2000, max_value=2000)))
    event = draw(st.one_of(st.none(), st.builds(
        lambda h: s.EventFacts("Event", WHA + dt.timedelta(hours=h)), st.floats(-500, 500))))
    facts = s.PostFacts(
        platform=draw(st.sampled_from(["facebook", "instagram", "x", "youtube", "other"])),
        published_at=published, format=draw(formats), traits=draw(traits_st),
        language=draw(st.sampled_from(["", "en", "zh-Hant", "vi"])),
        readings=tuple(reading(published, age, **m) for age, m in draw(readings_st)),
        event=event,
        audience=s.AudienceFacts(draw(st.sampled_from(["", "Asia/Taipei", "America/New_York"])),
                                 tuple(draw(st.lists(st.sampled_from(["TW", "US", "VN", "ZZ"]), max_size=2))),
                                 tuple(draw(st.lists(st.sampled_from(["en", "zh"]), max_size=2)))),
    )
    history = []
    for offset in draw(st.lists(st.floats(min_value=1, max_value=24 * 200), max_size=12)):
        when = published - dt.timedelta(hours=offset)
        history.append(s.PastPost(when, draw(formats),
                                  tuple(reading(when, age, **m) for age, m in draw(readings_st))))
    weights = s.Weights(*draw(st.lists(st.integers(0, 100), min_size=4, max_size=4).filter(any)))
    return facts, history, weights


@settings(max_examples=75, deadline=None)
@given(facts_and_history())
def test_every_score_stays_within_0_and_100(case):
    facts, history, weights = case
    result = s.score_post(facts, history, weights)
    values = [result.overall] + [p.score for p in result.principles]
    values += [c.value for p in result.principles for c in p.components]
    assert all(v is None or 0 <= v <= 100 for v in values)


@settings(max_examples=75, deadline=None)
@given(facts_and_history(), st.integers(min_value=1, max_value=10**6))
def test_more_interactions_never_lower_interactivity(case, extra):
    facts, history, _ = case
    before = s.score_post(facts, history).principle("interactivity").score
    # More of what was counted (a metric the platform never gave stays missing).
    boosted = tuple(s.Reading(**{**r.__dict__, "reactions": r.reactions + extra}) if r.reactions is not None else r
                    for r in facts.readings)
    after = s.score_post(dataclasses.replace(facts, readings=boosted), history)
    assert after.principle("interactivity").score >= before - 1e-9


@settings(max_examples=200, deadline=None)
@given(st.floats(-5000, 5000), st.floats(0, 5000))
def test_an_earlier_post_never_scores_lower_on_lead_time(offset_h, earlier_by_h):
    later = s.lead_time_score(WHA + dt.timedelta(hours=offset_h), WHA)
    earlier = s.lead_time_score(WHA + dt.timedelta(hours=offset_h - earlier_by_h), WHA)
    assert earlier >= later


@settings(max_examples=75, deadline=None)
@given(facts_and_history(), st.lists(st.floats(min_value=0.01, max_value=24 * 100), min_size=1, max_size=5), formats)
def test_adding_later_history_changes_nothing_about_an_older_post(case, later_offsets, fmt):
    facts, history, weights = case
    newer = [s.PastPost(facts.published_at + dt.timedelta(hours=h), fmt,
                        (reading(facts.published_at + dt.timedelta(hours=h), 24, reactions=10**6, reach=1),))
             for h in later_offsets]
    assert s.score_post(facts, history, weights) == s.score_post(facts, [*history, *newer], weights)


# --- Purity ----------------------------------------------------------------------------------
PURE_MODULES = (
    "metrics.scoring", "metrics.scoring.definitions", "metrics.scoring.components", "metrics.scoring.scorer",
    "metrics.vocabulary",
)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_scoring_module_imports_no_django(module):
    path = Path(importlib.util.find_spec(module).origin)
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    stdlib = {"__future__", "bisect", "datetime", "functools", "math", "zoneinfo", "collections", "collections.abc",
              "dataclasses", "statistics", "typing"}
    assert imported <= stdlib | set(PURE_MODULES), imported


def test_component_weights_sum_to_one_per_principle():
    for principle in s.PRINCIPLES:
        assert sum(c.weight for c in s.COMPONENTS if c.principle == principle) == pytest.approx(1.0)
