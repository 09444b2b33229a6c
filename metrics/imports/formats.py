"""The platforms' own CSV exports (PLATFORMS.md §6): how to recognise each one and read its rows.

Pure parsing, no database: a format is recognised from its header (a subset match on normalised
column names, because the platforms add and drop columns from month to month), and each data row
becomes a ParsedRow or a RowError whose message names the offending column and value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from metrics.imports.cells import (
    FileError,
    ParsedRow,
    Row,
    counts_of,
    datetime_parser,
    extras_of,
    normalize_header,
    parse_count,
    permalink_of,
    post_id_of,
)

# --- the formats --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str  # marked for translation; shown through gettext (format_label)
    platform: str  # campaigns.models.Platform value
    # Every group must be present; the names in a group are alternative spellings of one column.
    required: tuple[tuple[str, ...], ...]
    # Every column the format reads; ranks candidates when several formats' required sets match.
    known: frozenset[str]
    parse: Callable[[Row], ParsedRow]
    # Rows that are part of the export but not data (YouTube's Total row, the legacy description row).
    is_filler: Callable[[Row, int], bool] = lambda row, index: False
    date_columns: tuple[str, ...] = ()
    date_parser: Callable[[str], dt.datetime | None] | None = None

    def matches(self, headers: set[str]) -> bool:
        return all(any(name in headers for name in group) for group in self.required)

    def score(self, headers: set[str]) -> int:
        return len(self.known & headers)

    def expected_columns(self) -> str:
        return ", ".join(" / ".join(group) for group in self.required)


def _known(*groups: object) -> frozenset[str]:
    names: set[str] = set()
    for group in groups:
        if isinstance(group, dict):
            for value in group.values():
                names.update(value)
        else:
            names.update(group)  # type: ignore[arg-type]
    return frozenset(names)


# Meta Business Suite, Facebook (§6.1)
META_TIME = datetime_parser("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y")
FB_TYPES = {"photos": "image", "photo": "image", "videos": "video", "video": "video", "reels": "short_video",
            "reel": "short_video", "links": "link", "link": "link", "text": "text", "status": "text",
            "live": "live", "albums": "carousel", "album": "carousel"}
FB_COUNTS = {
    "views": ("views",),
    "impressions": ("impressions",),
    "reach": ("reach",),
    "reactions": ("reactions",),
    "comments": ("comments",),
    "shares": ("shares",),
    "clicks": ("total clicks",),
    "video_views": ("3-second video views",),
    "watch_time_seconds": ("seconds viewed",),
}
FB_EXTRA = {
    "interactions": ("reactions, comments and shares",),
    "link_clicks": ("link clicks",),
    "other_clicks": ("other clicks",),
    "photo_clicks": ("matched audience targeting consumption (photo click)",),
    "negative_hide_all": ("negative feedback from users: hide all",),
    "duration_seconds": ("duration (sec)",),
}
FB_EXTRA_DECIMAL = {
    "average_seconds_viewed": ("average seconds viewed",),
    "earnings_usd": ("estimated earnings (usd)",),
}


def _parse_meta_facebook(row: Row) -> ParsedRow:
    post_id = post_id_of(row, "post id")
    page_id = row.text("page id")
    # The Graph API names a Page post "{page id}_{post id}"; the export gives the two halves.
    full_id = f"{page_id}_{post_id}" if post_id and page_id and "_" not in post_id else post_id
    published = row.require(row.moment(META_TIME, "publish time"), "publish time")
    return row.finish(ParsedRow(
        platform_post_id=full_id, published_at=published, permalink=permalink_of(row.text("permalink")),
        format=FB_TYPES.get(row.text("post type").casefold(), "text"), title=row.text("title"),
        body=row.text("description"), metrics=counts_of(row, FB_COUNTS),
        extra={**extras_of(row, FB_EXTRA), **extras_of(row, FB_EXTRA_DECIMAL, "decimal")}, owner_id=page_id,
    ))


META_FACEBOOK = ExportFormat(
    key="meta_facebook", label=gettext_noop("Meta Business Suite: Facebook posts"), platform="facebook",
    required=(("post id",), ("page id",), ("publish time",)),
    known=_known(("post id", "page id", "page name", "title", "description", "publish time", "permalink",
                  "post type", "date", "caption type", "is crosspost", "is share"), FB_COUNTS, FB_EXTRA,
                 FB_EXTRA_DECIMAL),
    parse=_parse_meta_facebook, date_columns=("publish time",), date_parser=META_TIME,
)

# Meta Business Suite, Instagram (§6.2)
IG_TYPES = {"ig image": "image", "ig carousel": "carousel", "ig reel": "short_video", "ig video": "video",
            "ig story": "story", "story": "story", "stories": "story"}
IG_COUNTS = {
    "views": ("views",),
    "impressions": ("impressions",),
    "reach": ("reach",),
    "reactions": ("likes",),
    "comments": ("comments",),
    "shares": ("shares",),
    "saves": ("saves",),
}
IG_EXTRA = {"follows": ("follows",), "profile_visits": ("profile visits",), "duration_seconds": ("duration (sec)",)}


def _parse_meta_instagram(row: Row) -> ParsedRow:
    post_id = post_id_of(row, "post id")
    published = row.require(row.moment(META_TIME, "publish time"), "publish time")
    return row.finish(ParsedRow(
        platform_post_id=post_id, published_at=published, permalink=permalink_of(row.text("permalink")),
        format=IG_TYPES.get(row.text("post type").casefold(), "image"), body=row.text("description"),
        metrics=counts_of(row, IG_COUNTS), extra=extras_of(row, IG_EXTRA), owner_id=row.text("account id"),
    ))


META_INSTAGRAM = ExportFormat(
    key="meta_instagram", label=gettext_noop("Meta Business Suite: Instagram posts"), platform="instagram",
    required=(("post id",), ("account id", "account username"), ("publish time",)),
    known=_known(("post id", "account id", "account username", "account name", "description", "publish time",
                  "permalink", "post type", "date", "data comment"), IG_COUNTS, IG_EXTRA),
    parse=_parse_meta_instagram, date_columns=("publish time",), date_parser=META_TIME,
)

# Legacy Facebook Page Insights "Post data" (§6.3)
LEGACY_TIME = datetime_parser(
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"
)
LEGACY_COUNTS = {
    "reach": ("lifetime post total reach",),
    "impressions": ("lifetime post total impressions",),
    "clicks": ("lifetime post consumptions",),
    "reactions": ("lifetime talking about this (post) by action type - like",),
    "comments": ("lifetime talking about this (post) by action type - comment",),
    "shares": ("lifetime talking about this (post) by action type - share",),
}
LEGACY_EXTRA = {
    "organic_reach": ("lifetime post organic reach",),
    "paid_reach": ("lifetime post paid reach",),
    "engaged_users": ("lifetime engaged users",),
    "consumers": ("lifetime post consumers",),
}


def _parse_legacy_facebook(row: Row) -> ParsedRow:
    post_id = post_id_of(row, "post id")
    published = row.require(row.moment(LEGACY_TIME, "posted"), "posted")
    return row.finish(ParsedRow(
        platform_post_id=post_id, published_at=published, permalink=permalink_of(row.text("permalink")),
        format=FB_TYPES.get(row.text("type").casefold(), "text"), body=row.text("post message"),
        metrics=counts_of(row, LEGACY_COUNTS), extra=extras_of(row, LEGACY_EXTRA),
    ))


def _legacy_description_row(row: Row, index: int) -> bool:
    # Under the header the legacy export repeats each column's definition in words.
    if index != 0:
        return False
    try:
        parse_count(row.text("lifetime post total reach"))
    except ValueError:
        return True
    return False


LEGACY_FACEBOOK = ExportFormat(
    key="facebook_insights_legacy", label=gettext_noop("Facebook Page Insights (legacy): post data"),
    platform="facebook",
    required=(("post id",), ("posted",), ("lifetime post total reach",)),
    known=_known(("post id", "permalink", "post message", "type", "countries", "languages", "posted"),
                 LEGACY_COUNTS, LEGACY_EXTRA),
    parse=_parse_legacy_facebook, is_filler=_legacy_description_row,
    date_columns=("posted",), date_parser=LEGACY_TIME,
)

# X analytics, legacy "Tweet activity" (§6.4)
X_LEGACY_TIME = datetime_parser("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M")
X_LEGACY_COUNTS = {
    "impressions": ("impressions",),
    "reactions": ("likes", "favorites"),
    "comments": ("replies",),
    "shares": ("retweets",),
    "clicks": ("url clicks",),
    "video_views": ("media views",),
}
X_LEGACY_EXTRA = {
    "engagements": ("engagements",),
    "profile_clicks": ("user profile clicks",),
    "hashtag_clicks": ("hashtag clicks",),
    "detail_expands": ("detail expands",),
    "permalink_clicks": ("permalink clicks",),
    "follows": ("follows",),
    "media_engagements": ("media engagements",),
}


def _parse_x_legacy(row: Row) -> ParsedRow:
    post_id = post_id_of(row, "tweet id", digits_only=True)
    published = row.require(row.moment(X_LEGACY_TIME, "time"), "time")
    return row.finish(ParsedRow(
        platform_post_id=post_id, published_at=published, permalink=permalink_of(row.text("tweet permalink")),
        format="text", body=row.text("tweet text"), metrics=counts_of(row, X_LEGACY_COUNTS),
        extra={**extras_of(row, X_LEGACY_EXTRA),
               **extras_of(row, {"engagement_rate": ("engagement rate",)}, "decimal")},
    ))


X_LEGACY = ExportFormat(
    key="x_tweet_activity", label=gettext_noop("X analytics (legacy): tweet activity"), platform="x",
    required=(("tweet id",), ("time",), ("impressions",), ("likes", "favorites")),
    known=_known(("tweet id", "tweet permalink", "tweet text", "time", "engagement rate"), X_LEGACY_COUNTS,
                 X_LEGACY_EXTRA),
    parse=_parse_x_legacy, date_columns=("time",), date_parser=X_LEGACY_TIME,
)

# X analytics, current "account_analytics_content" (§6.4): the date is a day, no time.
# "3-Jun-26" is how a spreadsheet program writes the day back when it re-saves the file.
EXCEL_DAYS = ("%d-%b-%y", "%d-%b-%Y")
X_NEW_DATE = datetime_parser("%a, %b %d, %Y", "%b %d, %Y", "%Y-%m-%d", *EXCEL_DAYS, date_only=True)
X_NEW_COUNTS = {
    "impressions": ("impressions",),
    "reactions": ("likes",),
    "comments": ("replies",),
    "shares": ("reposts",),
    "saves": ("bookmarks",),
    "clicks": ("url clicks",),
}
X_NEW_EXTRA = {
    "engagements": ("engagements",),
    "share_actions": ("shares",),
    "new_follows": ("new follows",),
    "profile_visits": ("profile visits",),
    "detail_expands": ("detail expands",),
    "hashtag_clicks": ("hashtag clicks",),
    "permalink_clicks": ("permalink clicks",),
}


def _parse_x_new(row: Row) -> ParsedRow:
    post_id = post_id_of(row, "post id", digits_only=True)
    published = row.require(row.moment(X_NEW_DATE, "date"), "date")
    return row.finish(ParsedRow(
        platform_post_id=post_id, published_at=published, permalink=permalink_of(row.text("post link")),
        format="text", body=row.text("post text"), metrics=counts_of(row, X_NEW_COUNTS),
        extra=extras_of(row, X_NEW_EXTRA),
    ))


X_NEW = ExportFormat(
    key="x_account_analytics", label=gettext_noop("X analytics: account_analytics_content"), platform="x",
    required=(("post id",), ("date",), ("impressions",), ("likes",), ("reposts",)),
    known=_known(("post id", "date", "post text", "post link"), X_NEW_COUNTS, X_NEW_EXTRA),
    parse=_parse_x_new, date_columns=("date",), date_parser=X_NEW_DATE,
)

# YouTube Studio, Advanced mode → Content → Export, `Table data.csv` (§6.5)
YT_DATE = datetime_parser("%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", *EXCEL_DAYS, date_only=True)
YT_COUNTS = {
    "views": ("views",),
    "impressions": ("impressions", "thumbnail impressions"),
    "reactions": ("likes",),
    "comments": ("comments added",),
    "shares": ("shares",),
}
YT_EXTRA = {"duration_seconds": ("duration",)}
# Subscribers gained minus lost through the video: below zero when more left than joined.
YT_EXTRA_SIGNED = {"subscribers": ("subscribers",)}
YT_EXTRA_DECIMAL = {
    "ctr_pct": ("impressions click-through rate (%)", "thumbnail click-through rate (%)"),
    "average_percentage_viewed": ("average percentage viewed (%)",),
    "revenue_usd": ("estimated revenue (usd)",),
}


def _parse_youtube(row: Row) -> ParsedRow:
    video_id = post_id_of(row, "content")
    published = row.moment(YT_DATE, "video publish time")
    hours = row.decimal("watch time (hours)")
    metrics = counts_of(row, YT_COUNTS)
    if row.has("watch time (hours)"):
        metrics["watch_time_seconds"] = round(hours * 3600) if hours is not None else None
    extra = {**extras_of(row, YT_EXTRA), **extras_of(row, YT_EXTRA_SIGNED, "signed_count"),
             **extras_of(row, YT_EXTRA_DECIMAL, "decimal")}
    if row.has("average view duration"):
        extra["average_view_duration_seconds"] = row.duration("average view duration")
    return row.finish(ParsedRow(
        platform_post_id=video_id, published_at=published,
        permalink=f"https://www.youtube.com/watch?v={video_id}" if video_id else "",
        format="video", title=row.text("video title"), metrics=metrics, extra=extra,
    ))


YOUTUBE_STUDIO = ExportFormat(
    key="youtube_studio", label=gettext_noop("YouTube Studio: content table"), platform="youtube",
    required=(("content",), ("video publish time",), ("views",)),
    known=_known(("content", "video title", "video publish time", "watch time (hours)", "average view duration"),
                 YT_COUNTS, YT_EXTRA, YT_EXTRA_SIGNED, YT_EXTRA_DECIMAL),
    parse=_parse_youtube, is_filler=lambda row, index: row.text("content").casefold() == "total",
    date_columns=("video publish time",), date_parser=YT_DATE,
)

FORMATS: tuple[ExportFormat, ...] = (META_FACEBOOK, META_INSTAGRAM, LEGACY_FACEBOOK, X_LEGACY, X_NEW, YOUTUBE_STUDIO)
FORMATS_BY_KEY = {f.key: f for f in FORMATS}


def detect(header: Sequence[str], *, platform: str | None = None) -> ExportFormat:
    """The export format whose required columns the header holds (the best match if several do)."""
    names = {normalize_header(h) for h in header}
    if len(header) <= 1:
        sample = header[0] if header else ""
        for sep, shown in ((";", "';'"), ("\t", _("tabs")), ("|", "'|'")):
            if sep in sample:
                raise FileError(
                    _("The columns are separated by %(sep)s, not commas. Export the file again as "
                      "comma-separated CSV, as the platform offers it.") % {"sep": shown}
                )
    matching = [f for f in FORMATS if f.matches(names)]
    if not matching and any(ch.isalpha() and not ch.isascii() for ch in "".join(header)):
        # The platforms name the columns in the user's language (YouTube Studio in zh-TW: 內容, 觀看次數 ...).
        # Only the English names are known for sure, so ask for those rather than list them.
        raise FileError(
            _("The column names of this file are not in English. Switch the platform's language to English, "
              "export the file again and upload that.")
        )
    if not matching:
        wanted = [f for f in FORMATS if platform in (None, f.platform)] or list(FORMATS)
        expected = "; ".join(f"{_(f.label)} ({f.expected_columns()})" for f in wanted)
        raise FileError(
            _("The columns of this file are not those of a known export. Expected at least the columns "
              "of one of: %(expected)s.") % {"expected": expected}
        )
    return max(matching, key=lambda f: f.score(names))
