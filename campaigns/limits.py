"""Platform limits checked on save and counted live in the editor."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

X_MAX_CHARS = 280
INSTAGRAM_CAPTION_MAX_CHARS = 2200
INSTAGRAM_MAX_HASHTAGS = 30
YOUTUBE_TITLE_MAX_CHARS = 100

HASHTAG_RE = re.compile(r"#\w+")

# What the editor's live counter shows, per platform: (field, limit).
COUNTERS = {
    "x": ("body", X_MAX_CHARS),
    "instagram": ("body", INSTAGRAM_CAPTION_MAX_CHARS),
    "youtube": ("title", YOUTUBE_TITLE_MAX_CHARS),
}


def count_hashtags(body: str, hashtags: list[str]) -> int:
    in_body = {tag.lower() for tag in HASHTAG_RE.findall(body or "")}
    listed = {("#" + tag.lstrip("#")).lower() for tag in hashtags or []}
    return len(in_body | listed)


def platform_limit_errors(*, platform: str, title: str, body: str, hashtags: list[str]) -> dict[str, str]:
    """Field name → message for every platform limit the content breaks."""
    errors: dict[str, str] = {}
    if platform == "x" and len(body) > X_MAX_CHARS:
        errors["body"] = _("X posts are limited to %(limit)d characters; this one has %(count)d.") % {
            "limit": X_MAX_CHARS, "count": len(body)}
    if platform == "instagram":
        if len(body) > INSTAGRAM_CAPTION_MAX_CHARS:
            errors["body"] = _("Instagram captions are limited to %(limit)d characters; this one has %(count)d.") % {
                "limit": INSTAGRAM_CAPTION_MAX_CHARS, "count": len(body)}
        tags = count_hashtags(body, hashtags)
        if tags > INSTAGRAM_MAX_HASHTAGS:
            errors["hashtags"] = _("Instagram allows at most %(limit)d hashtags; this post has %(count)d.") % {
                "limit": INSTAGRAM_MAX_HASHTAGS, "count": tags}
    if platform == "youtube" and len(title) > YOUTUBE_TITLE_MAX_CHARS:
        errors["title"] = _("YouTube titles are limited to %(limit)d characters; this one has %(count)d.") % {
            "limit": YOUTUBE_TITLE_MAX_CHARS, "count": len(title)}
    return errors
