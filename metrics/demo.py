"""The demo: three organizations drawn from the source articles, their accounts, campaigns, series,
posts, an influencer and collaborations. Loaded by `manage.py load_demo`, never in production.

Idempotent: every object is looked up by a natural key first, so loading twice changes nothing.
Published posts carry the platform ids of the sandbox's seeded posts (metrics/sandbox/profiles.py),
so their metrics arrive through the real ingestion path once the worker runs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns.models import (
    Account,
    Amplification,
    Campaign,
    Collaboration,
    Event,
    Evidence,
    Influencer,
    KPITarget,
    Membership,
    NotableAccount,
    Objective,
    Organization,
    Post,
    PostTransition,
    Profile,
    Series,
)
from campaigns.services import series_generate_posts
from metrics.connectors.base import RemotePost
from metrics.ingestion.discovery import posts_match_or_create
from metrics.ingestion.snapshots import PostReading, account_snapshot_upsert, post_snapshots_upsert
from metrics.reporting import rollups
from metrics.sandbox import synthetic
from metrics.sandbox.faults import sandbox_fault_set
from metrics.sandbox.models import SandboxFault
from metrics.sandbox.profiles import ACCOUNTS, NOTABLE_USERS, SEED_AMPLIFICATIONS, seed
from metrics.scoring import service as scoring_service

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEMO_PASSWORD = "softpower-demo"  # noqa: S105 -- demo only, printed by `make run`
UTC = dt.UTC


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def _user(username: str, first: str, last: str, *, staff: bool = False):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@softpower.example",
                  "is_staff": staff, "is_superuser": staff},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Profile.objects.get_or_create(user=user, defaults={"timezone": "Asia/Taipei"})
    return user


def _account(org: Organization, platform: str, platform_id: str, language: str, influencer=None) -> Account:
    profile = ACCOUNTS[(platform, platform_id)]
    account, created = Account.objects.get_or_create(
        organization=org, platform=platform, platform_id=platform_id,
        defaults={"handle": profile.handle, "language": language, "influencer": influencer,
                  "connection_state": Account.Connection.CONNECTED},
    )
    if created:
        account.set_access_token(f"sandbox-demo-token-{platform}-{platform_id}")
        account.save()
    return account


def _seeded_post(key: str, account: Account, campaign: Campaign | None, **extra) -> Post:
    s = seed(key)
    extra.setdefault("created_by", campaign.created_by if campaign else None)
    # A demo database loaded before this post had its sandbox twin holds it as a planned post of the
    # same title: give that one the platform id rather than adding a second.
    Post.objects.filter(account=account, title=s.title, platform_post_id="").update(
        platform_post_id=s.post_id, status=Post.Status.PUBLISHED, published_at=s.published_at)
    post, _ = Post.objects.get_or_create(
        account=account, platform_post_id=s.post_id,
        defaults={"campaign": campaign, "status": Post.Status.PUBLISHED, "planned_at": s.published_at,
                  "published_at": s.published_at, "format": s.format, "title": s.title, "language": s.language,
                  **extra},
    )
    return post


def _workflow(post: Post, steps: list[tuple[str, str, User | None, dt.datetime, str]]) -> None:
    """Record how a demo post got to its status (post page "Workflow", review queue "submitted"), once."""
    if post.transitions.exists():
        return
    for from_status, to_status, by, at, comment in steps:
        PostTransition.objects.create(post=post, from_status=from_status, to_status=to_status, by=by, at=at,
                                      comment=comment)


def _planned_post(campaign: Campaign, account: Account, title: str, **fields) -> Post:
    post, _ = Post.objects.get_or_create(campaign=campaign, account=account, title=title, defaults=fields)
    return post


def _campaign(org: Organization, name: str, by, kpis: list[tuple[str, int | float, str]], **fields) -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(organization=org, name=name, defaults={**fields, "created_by": by})
    for metric, target, country in kpis:
        KPITarget.objects.get_or_create(
            campaign=campaign, metric=metric, country=country, defaults={"target_value": Decimal(str(target))}
        )
    return campaign


# Objectives with the evidence a team would record (invented figures and sources; links on example domains).
# (kind, statement, indicator, target, target value, baseline, [(level, kind, day, summary, source, link, value)])
EvidenceRow = tuple[str, str, tuple[int, int, int], str, str, str, int | None]
ObjectiveRow = tuple[str, str, str, str, int, int | None, list[EvidenceRow]]
WHA_OUTCOMES: list[ObjectiveRow] = [
    ("inform", "Audiences in the target countries know what Taiwan's medical teams do abroad",
     "Share of panel respondents in VN, PH and JP who recall the film", "25 % recall by the end of June", 25, None,
     [("outtake", "media", (2026, 5, 12), "Film featured in a Vietnamese news site's health section",
       "Health desk of a Vietnamese news site", "https://news.example.vn/health/perfect-pair", None),
      ("outtake", "survey", (2026, 6, 20), "Post-campaign panel: respondents who recall the film",
       "Commissioned online panel (n = 1,000)", "", 31)]),
    ("attitude", "More people in the target countries support Taiwan's part in the World Health Assembly",
     "Share of panel respondents who agree Taiwan should take part", "60 % agree by the end of June", 60, 48,
     [("outtake", "survey", (2026, 4, 15), "Baseline panel before the campaign",
       "Commissioned online panel (n = 1,000)", "", 48),
      ("outcome", "statement", (2026, 5, 21), "A partner country's health minister spoke for Taiwan's observer status",
       "Partner ministry press release", "https://health.example.org/press/wha-observer", None),
      ("outcome", "survey", (2026, 6, 20), "Post-campaign panel: respondents who agree",
       "Commissioned online panel (n = 1,000)", "", 57)]),
]
SISTER_OUTCOMES: list[ObjectiveRow] = [
    ("behaviour", "Students in partner cities apply for the Youth Forum exchange",
     "Applications from partner cities", "200 applications (120 last year)", 200, 120,
     [("outtake", "event", (2026, 10, 8), "Information evening in a partner city's youth centre",
       "Partner city's international office", "", 85),
      ("outcome", "other", (2026, 10, 31), "Applications closed: five partner cities took part",
       "City youth office", "", 236)]),
    ("attitude", "Residents see the sister-city ties as worthwhile",
     "Share of residents who agree in the city's quarterly survey", "70 % agree", 70, 61,
     [("outtake", "media", (2026, 11, 10), "A Japanese partner city's local paper covered the student exchange",
       "Partner city's local paper", "https://paper.example.jp/2026/11/exchange", None),
      ("outcome", "survey", (2026, 10, 15), "Quarterly residents' survey", "City survey office (n = 1,200)", "", 66),
      ("impact", "partner_action", (2026, 11, 20), "A partner city's council renewed the sister-city agreement "
       "for five years", "Partner city council minutes", "https://city.example.us/council/2026-11-20", None)]),
]


def _demo_outcomes(wha: Campaign, sister: Campaign, author) -> None:
    for campaign, objectives in ((wha, WHA_OUTCOMES), (sister, SISTER_OUTCOMES)):
        for position, (kind, statement, indicator, target, value, baseline, evidence) in enumerate(objectives):
            objective, created = Objective.objects.get_or_create(
                campaign=campaign, statement=statement,
                defaults={"kind": kind, "indicator": indicator, "target": target, "target_value": value,
                          "baseline_value": baseline, "position": position})
            if not created:
                continue
            Evidence.objects.bulk_create(
                Evidence(objective=objective, level=level, kind=ekind, observed_on=dt.date(*day), summary=summary,
                         source=source, link=link, value=amount, created_by=author)
                for level, ekind, day, summary, source, link, amount in evidence)


def _demo_amplifications(organizations: list[Organization], film: Post, author) -> None:
    """The watch list, the reshares the sandbox reports on X (as the hourly pass would record them), and one
    mention of the film entered by hand."""
    for org in organizations:
        for n in NOTABLE_USERS:
            NotableAccount.objects.get_or_create(
                organization=org, platform=n.platform, handle=n.username,
                defaults={"name": n.name, "kind": n.kind, "country": n.country, "platform_user_id": n.user_id})
    for found in SEED_AMPLIFICATIONS:
        s = seed(found.post_key)
        post = Post.objects.select_related("account").get(account__platform=s.platform, platform_post_id=s.post_id)
        notable = NotableAccount.objects.get(organization=post.account.organization, platform="x",
                                             platform_user_id=found.user_id)
        link = (f"https://x.com/i/status/{found.quote_id}" if found.quote_id
                else f"https://x.com/i/status/{s.post_id}/retweets")
        Amplification.objects.get_or_create(
            post=post, notable=notable, kind=found.kind, platform_item_id=found.quote_id,
            defaults={"source": Amplification.Source.FOUND, "occurred_at": found.at, "link": link})
    ngo = NotableAccount.objects.get(organization=film.account.organization, handle="GlobalHealthNGO_demo")
    Amplification.objects.get_or_create(
        post=film, notable=ngo, kind=Amplification.Kind.MENTION, platform_item_id="",
        defaults={"source": Amplification.Source.MANUAL, "occurred_at": _at(2026, 5, 14, 8, 30), "created_by": author,
                  "link": "https://ngo.example.org/news/2026/perfect-pair"})


@transaction.atomic
def load_demo() -> dict[str, int]:
    admin = _user("admin", "Lin", "Mei-hua", staff=True)
    editor = _user("editor", "Chen", "Yu-ting")
    approver = _user("approver", "Wang", "Chih-hao")
    manager = _user("manager", "Huang", "Shu-fen")

    ministry, _ = Organization.objects.get_or_create(
        slug="dis", defaults={"name": "Department of Information Services", "kind": "ministry", "country": "TW"})
    mission, _ = Organization.objects.get_or_create(
        slug="mission-press", defaults={"name": "Mission Press Section, Taipei", "kind": "mission", "country": "TW"})
    city, _ = Organization.objects.get_or_create(
        slug="city-intl", defaults={"name": "City International Affairs Office", "kind": "city", "country": "TW"})
    roles = {
        admin: {ministry: "admin", mission: "admin", city: "admin"},
        editor: {ministry: "editor", mission: "editor", city: "editor"},
        approver: {ministry: "approver", mission: "approver", city: "approver"},
        manager: {ministry: "viewer", mission: "viewer", city: "viewer"},
    }
    for user, by_org in roles.items():
        for org, role in by_org.items():
            Membership.objects.get_or_create(user=user, organization=org, defaults={"role": role})

    # Accounts: the ministry's four, the mission's two, the city's two, and the influencer's two.
    fb = _account(ministry, "facebook", "104857600000001", "zh-Hant")
    ig = _account(ministry, "instagram", "17841400000000001", "en")
    x = _account(ministry, "x", "1300000000000000001", "en")
    yt = _account(ministry, "youtube", "UCtrendingTaiwanDemo00001", "en")
    mission_fb = _account(mission, "facebook", "104857600000002", "zh-Hant")
    mission_x = _account(mission, "x", "1300000000000000002", "en")
    city_fb = _account(city, "facebook", "104857600000003", "zh-Hant")
    city_ig = _account(city, "instagram", "17841400000000003", "en")
    noura, _ = Influencer.objects.get_or_create(
        organization=ministry, name="Noura Al-Fahad",
        defaults={"country": "KW", "languages": ["ar", "en"], "topics": ["food", "travel", "culture"],
                  "notes": "Kuwaiti food-and-travel creator; became a fan after the custard-apple visit and "
                           "reshares the ministry's videos."},
    )
    noura_ig = _account(ministry, "instagram", "17841400000000009", "ar", influencer=noura)
    noura_yt = _account(ministry, "youtube", "UCnouraTastesDemo0000009", "ar", influencer=noura)

    # Events
    wha, _ = Event.objects.get_or_create(
        organization=ministry, name="World Health Assembly 2026",
        defaults={"kind": "assembly", "starts_at": _at(2026, 5, 18, 8, 0), "ends_at": _at(2026, 5, 27, 16, 0),
                  "country": "CH", "timezone": "Europe/Zurich"})
    national_day, _ = Event.objects.get_or_create(
        organization=ministry, name="National Day 2026",
        defaults={"kind": "national_day", "starts_at": _at(2026, 10, 10, 1, 0), "country": "TW",
                  "timezone": "Asia/Taipei"})
    tra_day, _ = Event.objects.get_or_create(
        organization=mission, name="Relations Act anniversary",
        defaults={"kind": "anniversary", "starts_at": _at(2027, 4, 10, 1, 0), "country": "TW",
                  "timezone": "Asia/Taipei"})
    forum, _ = Event.objects.get_or_create(
        organization=city, name="Sister Cities Youth Forum",
        defaults={"kind": "forum", "starts_at": _at(2026, 12, 5, 1, 0), "ends_at": _at(2026, 12, 6, 9, 0),
                  "country": "TW", "timezone": "Asia/Taipei"})

    # 1. WHA: "Health for all — Taiwan can help", the short film and its variants.
    wha_campaign = _campaign(
        ministry, "WHA 2026: Health for all — Taiwan can help", editor,
        [("views", 10_000_000, ""), ("interactions", 300_000, ""), ("country_view_share", 10, "VN")],
        objective="Make the case for Taiwan's participation in the World Health Assembly with stories of "
                  "Taiwanese medical teams abroad.",
        start_date=dt.date(2026, 4, 20), end_date=dt.date(2026, 6, 15), status=Campaign.Status.COMPLETED,
        target_countries=["VN", "US", "JP", "PH", "CH"], languages=["en", "vi"],
        themes=["public health", "Taiwan can help"])
    wha_campaign.events.add(wha)
    film = _seeded_post("wha_film", yt, wha_campaign, event=wha, hashtags=["TaiwanCanHelp", "HealthForAll"],
                        traits=["real_person", "original_footage"],
                        body="A Vietnamese girl, a Taiwanese medical team, and a perfect pair. #TaiwanCanHelp")
    _seeded_post("wha_film_fb", fb, wha_campaign, event=wha, variant_of=film, traits=["original_footage"])
    _seeded_post("wha_film_x", x, wha_campaign, event=wha, variant_of=film, hashtags=["TaiwanCanHelp"])
    _seeded_post("wha_reel", ig, wha_campaign, event=wha, variant_of=film, traits=["behind_the_scenes"])
    _seeded_post("wha_film_vi", fb, wha_campaign, event=wha, variant_of=film, traits=["original_footage"])

    # 2. An SDG a Day, and the influencer's Arabic translation.
    sdg = _campaign(
        ministry, "An SDG a Day", editor,
        [("views", 3_000_000, ""), ("interactions", 120_000, ""), ("country_view_share", 20, "KW")],
        objective="One Sustainable Development Goal a day: what Taiwan contributes, told by the people doing it.",
        start_date=dt.date(2026, 8, 25), end_date=dt.date(2026, 12, 31), status=Campaign.Status.ACTIVE,
        target_countries=["KW", "SA", "AE", "US"], languages=["en", "ar"], themes=["SDGs", "soft power"])
    sdg_en = _seeded_post("sdg_en", yt, sdg, traits=["original_footage"])
    sdg_ar = _seeded_post("sdg_ar", noura_yt, sdg, variant_of=sdg_en, traits=["real_person", "user_generated"])
    apples = _seeded_post("custard_apple", noura_ig, sdg, traits=["real_person", "behind_the_scenes"])
    collab_sdg, _ = Collaboration.objects.get_or_create(
        influencer=noura, campaign=sdg, title="An SDG a Day, in Arabic",
        defaults={"status": Collaboration.Status.DELIVERED, "start_date": dt.date(2026, 9, 1),
                  "end_date": dt.date(2026, 9, 30), "deliverables_description": "One translated video, one reel.",
                  "in_kind_terms": "Study tour of Taiwanese farms", "sponsorship_disclosed": True,
                  "content_rights": "Ministry may reshare with credit for 2 years.",
                  "outcome_notes": "The Arabic version reached audiences the ministry's own channel does not."})
    collab_sdg.deliverables.add(sdg_ar)
    collab_apples, _ = Collaboration.objects.get_or_create(
        influencer=noura, campaign=sdg, title="Custard apples in Kuwait City",
        defaults={"status": Collaboration.Status.CLOSED, "start_date": dt.date(2026, 8, 20),
                  "end_date": dt.date(2026, 9, 5), "compensation_amount": Decimal("1500.00"),
                  "compensation_currency": "USD", "sponsorship_disclosed": True,
                  "outcome_notes": "Sales of custard apples rose in Kuwait the following month."})
    collab_apples.deliverables.add(apples)
    Collaboration.objects.get_or_create(
        influencer=noura, campaign=sdg, title="National Day greetings from Kuwait",
        defaults={"status": Collaboration.Status.PROPOSED, "sponsorship_disclosed": False})
    # One card in each middle column of the board, too.
    Collaboration.objects.get_or_create(
        influencer=noura, campaign=sdg, title="SDG 2, zero hunger: a day on a Taiwanese rice farm",
        defaults={"status": Collaboration.Status.IN_PROGRESS, "start_date": dt.date(2026, 11, 16),
                  "end_date": dt.date(2026, 12, 15), "deliverables_description": "One reel, one YouTube vlog.",
                  "in_kind_terms": "Travel and lodging for the farm visit", "sponsorship_disclosed": True,
                  "content_rights": "Ministry may reshare with credit."})
    Collaboration.objects.get_or_create(
        influencer=noura, campaign=sdg, title="Bubble tea and the SDGs, in Arabic",
        defaults={"status": Collaboration.Status.AGREED, "start_date": dt.date(2026, 12, 1),
                  "end_date": dt.date(2026, 12, 20), "deliverables_description": "Two Instagram stories.",
                  "compensation_amount": Decimal("800.00"), "compensation_currency": "USD",
                  "sponsorship_disclosed": True})
    coral = _planned_post(sdg, ig, "SDG 14: life below water — behind the scenes with coral scientists",
                  status=Post.Status.IN_REVIEW, planned_at=_at(2026, 11, 27, 2, 0), format="carousel",
                  language="en", traits=["behind_the_scenes", "original_footage"], created_by=editor,
                  body="Meet the divers restoring coral off Penghu. Which SDG should we cover next? #SDGaDay")
    _workflow(coral, [
        ("idea", "draft", editor, _at(2026, 11, 18, 3, 0), ""),
        ("draft", "in_review", editor, _at(2026, 11, 20, 6, 30), ""),
    ])
    sdg.events.add(national_day)
    _seeded_post("sdg_national_day", fb, sdg, event=national_day, created_by=editor,
                 traits=["original_footage", "call_to_action"], hashtags=["SDGaDay", "NationalDay"],
                 body="雙十國慶：從醫療、農業到綠能，台灣和世界一起實踐永續發展目標。你最關心哪一個目標？")

    # 3. The mission's Relations Act anniversary year and a week of Indo-Pacific Q&A.
    tra = _campaign(
        mission, "Relations Act anniversary year", editor,
        [("follower_growth_pct", 20, ""), ("interactions", 60_000, ""), ("posts_published", 30, "")],
        objective="Grow the page by at least 20 % over a year of anniversary activities.",
        start_date=dt.date(2026, 10, 1), end_date=dt.date(2027, 4, 30), status=Campaign.Status.ACTIVE,
        target_countries=["TW", "US"], languages=["zh-Hant", "en"], themes=["partnership", "anniversary"])
    tra.events.add(tra_day)
    tra_series, _ = Series.objects.get_or_create(
        campaign=tra, name="Relations Act stories",
        defaults={"cadence": Series.Cadence.WEEKLY, "start_date": dt.date(2026, 10, 1),
                  "end_date": dt.date(2027, 1, 28), "time_of_day": dt.time(9, 0), "timezone": "Asia/Taipei",
                  "format": "image", "title_template": "Relations Act stories, week {n}"})
    tra_series.accounts.add(mission_fb)
    for n in range(1, 9):
        _seeded_post(f"tra_story_{n}", mission_fb, tra, series=tra_series, traits=["behind_the_scenes"])
    _seeded_post("tra_x_thread", mission_x, tra, traits=["call_to_action"])
    series_generate_posts(series=tra_series, by=editor)  # the weeks still to come

    indo = _campaign(
        mission, "Free and open Indo-Pacific: a week of Q&A", editor,
        [("interactions", 25_000, ""), ("posts_published", 7, "")],
        objective="Explain a policy in plain words: a question a day, answered with illustrations.",
        start_date=dt.date(2026, 11, 30), end_date=dt.date(2026, 12, 6), status=Campaign.Status.PLANNED,
        target_countries=["TW"], languages=["zh-Hant", "en"], themes=["Indo-Pacific", "Q&A"])
    qa, _ = Series.objects.get_or_create(
        campaign=indo, name="Indo-Pacific Q&A week",
        defaults={"cadence": Series.Cadence.DAILY, "start_date": dt.date(2026, 11, 30),
                  "end_date": dt.date(2026, 12, 6), "time_of_day": dt.time(12, 0), "timezone": "Asia/Taipei",
                  "format": "carousel", "title_template": "Indo-Pacific Q&A, day {n}"})
    qa.accounts.add(mission_fb)
    qa_posts = series_generate_posts(series=qa, by=editor)
    if qa_posts:  # first load only: move the first days along the workflow
        for post, status in zip(qa_posts, ["approved", "in_review", "in_review", "draft"], strict=False):
            post.status = status
            post.traits = ["call_to_action", "poll"] if status != "draft" else ["call_to_action"]
            post.body = "Q: What does a free and open Indo-Pacific mean for Taiwan? Tell us your question below."
            post.save()
    qa_days = list(qa.posts.order_by("planned_at"))
    if len(qa_days) >= 4:
        submitted = [("draft", "in_review", editor, _at(2026, 11, 21, 2, 0), "")]
        _workflow(qa_days[0], [*submitted, ("in_review", "approved", approver, _at(2026, 11, 22, 1, 30), "")])
        _workflow(qa_days[1], [("draft", "in_review", editor, _at(2026, 11, 21, 2, 10), "")])
        _workflow(qa_days[2], [("draft", "in_review", editor, _at(2026, 11, 21, 2, 20), "")])
        _workflow(qa_days[3], [
            ("draft", "in_review", editor, _at(2026, 11, 21, 2, 30), ""),
            ("in_review", "draft", approver, _at(2026, 11, 22, 1, 40),
             "Please add the Chinese version of the illustration caption."),
        ])

    # The ingestion health page has a failure to show: the mission's X account answers its first read
    # with a 429 (x-rate-limit-reset in a minute), backs off, then recovers. Armed once, never re-armed.
    if not SandboxFault.objects.filter(platform="x", account_platform_id=mission_x.platform_id).exists():
        sandbox_fault_set("x", mission_x.platform_id, SandboxFault.Kind.RATE_LIMIT, remaining=1, reset_seconds=60)

    # 4. The city's sister-city campaign.
    sister = _campaign(
        city, "Sister cities 2026", editor,
        [("views", 400_000, ""), ("country_view_share", 15, "JP"), ("follower_growth_pct", 5, "")],
        objective="Show residents and partner cities what the sister-city ties bring: exchanges, visits, youth.",
        start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 31), status=Campaign.Status.ACTIVE,
        target_countries=["US", "JP"], languages=["zh-Hant", "en", "ja"], themes=["sister cities", "youth"])
    sister.events.add(forum)
    _seeded_post("sister_welcome", city_fb, sister, traits=["real_person"])
    _seeded_post("sister_reel", city_ig, sister, traits=["user_generated", "original_footage"])
    _seeded_post("sister_live", city_fb, sister, traits=["live_qa", "real_person"])
    forum_eve = _planned_post(
        sister, city_fb, "Youth Forum opens tomorrow", status=Post.Status.SCHEDULED,
        planned_at=_at(2026, 12, 4, 10, 0), format="image", language="en", event=forum, created_by=editor,
        traits=["real_person", "call_to_action"],
        body="Sixty students from our sister cities arrive tomorrow. Say hello!")
    _workflow(forum_eve, [
        ("draft", "in_review", editor, _at(2026, 11, 16, 3, 0), ""),
        ("in_review", "approved", approver, _at(2026, 11, 17, 1, 0), ""),
        ("approved", "scheduled", editor, _at(2026, 11, 17, 2, 0), ""),
    ])
    _planned_post(sister, city_ig, "Forum highlights reel", status=Post.Status.IDEA,
                  planned_at=_at(2026, 12, 6, 11, 0), format="short_video", language="en", event=forum,
                  created_by=editor)

    _demo_outcomes(wha_campaign, sister, editor)
    _demo_amplifications([ministry, mission], film, editor)

    return {
        "organizations": Organization.objects.count(),
        "accounts": Account.objects.count(),
        "campaigns": Campaign.objects.count(),
        "posts": Post.objects.count(),
    }


# --- History ----------------------------------------------------------------------------------
# A fresh demo would otherwise hold one reading per post (the first ingestion), leaving curves,
# baselines and follower growth empty. The history is read from the sandbox's own deterministic
# curves, the same functions live ingestion reads over HTTP, so today's live readings continue it.
# Each snapshot says where it came from (api_version and extra["backfill"]).

HISTORY_DAYS = 45
# Ages at which a post is "read": dense while young, sparse later, as the adaptive cadence does.
READING_AGES = [dt.timedelta(hours=h) for h in (1, 3, 6, 12, 24, 36, 48, 72, 120, 168, 240, 336, 504, 720,
                                                1080, 1440, 2160, 2880, 4320)]
BACKFILL_VERSION = "sandbox backfill"


def sandbox_snapshot_fields(platform: str, m: dict[str, int]) -> dict[str, int | None]:
    """The sandbox's platform-neutral figures under the names each connector stores them."""
    fields = {"views": m.get("views"), "reactions": m.get("likes"), "comments": m.get("comments"),
              "shares": m.get("shares"), "video_views": m.get("video_views"),
              "watch_time_seconds": m.get("watch_seconds")}
    if platform in ("facebook", "instagram"):
        fields["reach"] = m.get("reach")
    if platform == "facebook":
        fields["clicks"] = m.get("clicks")
    if platform == "instagram":
        fields["saves"] = m.get("saves")
    if platform == "x":
        fields.update(impressions=m.get("views"), quotes=m.get("quotes"), saves=m.get("saves"))
    if platform == "youtube":
        fields["video_views"] = m.get("views")
    return fields


def demo_history_backfill(*, until: dt.datetime) -> dict[str, int]:
    """Posts of the demo accounts over the last HISTORY_DAYS, their readings and follower counts.

    `until` is the start of today (UTC), so loading twice on the same day writes the same rows.
    """
    since = until - dt.timedelta(days=HISTORY_DAYS)
    post_ids: list[int] = []
    readings: list[PostReading] = []
    for account in Account.objects.filter(platform_id__in=[pid for _, pid in ACCOUNTS]):
        synth = [sp for sp in synthetic.posts(account.platform, account.platform_id, until, since=since)]
        synth += [sp for sp in synthetic.posts(account.platform, account.platform_id, until)
                  if sp.seed_key and sp.published_at < since]
        found = [RemotePost(sp.post_id, sp.published_at, format=sp.format, title=sp.title, language=sp.language)
                 for sp in synth]
        posts = posts_match_or_create(account=account, found=found)
        for sp in synth:
            post_id = posts[sp.post_id].id
            post_ids.append(post_id)
            for age in READING_AGES:
                at = sp.published_at + age
                if at > until:
                    break
                readings.append(PostReading(
                    post_id=post_id, captured_at=at, api_version=BACKFILL_VERSION, extra={"backfill": True},
                    metrics=sandbox_snapshot_fields(account.platform, synthetic.post_metrics(sp, at)),
                ))
        for day in range(HISTORY_DAYS, 0, -1):
            at = until - dt.timedelta(days=day)
            account_snapshot_upsert(account_id=account.id, captured_at=at, extra={"backfill": True},
                                    followers=synthetic.followers(account.platform, account.platform_id, at))
    post_snapshots_upsert(readings)
    rollups.post_rollups_recompute(post_ids=post_ids)
    rollups.account_rollups_recompute(since=(since - dt.timedelta(days=1)).date())
    scoring_service.posts_rescore(post_ids=post_ids)
    return {"history posts": len(set(post_ids)), "history readings": len(readings)}
