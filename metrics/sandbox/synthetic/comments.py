"""Synthetic conversations under a post: its commenters' comments and the account's own replies.

The number of top-level comments follows the post's own `comments` curve, so a comment once made keeps its
time and text on every later read. About a third are questions; the account answers some of them (more often
than other comments) after a delay of a few hours, and never before the reply's time has come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics.sandbox.synthetic.accounts import hash_int, hash_unit, lognormal
from metrics.sandbox.synthetic.curves import lifetime_share, post_metrics
from metrics.sandbox.synthetic.posts import SynthPost

MAX_COMMENTS = 400  # a post's conversation is synthesized up to this many top-level comments
QUESTIONS = {
    "en": ["How can I apply for this?", "Is there an English version?", "Where can I watch the full film?",
           "When is the next event?"],
    "zh-hant": ["請問要怎麼報名？", "有英文版嗎？", "完整影片在哪裡可以看？", "下一場活動是什麼時候？"],
}
REMARKS = {
    "en": ["Great work!", "Thank you for sharing.", "Proud of this team.", "Beautiful film."],
    "zh-hant": ["太棒了！", "謝謝分享。", "以這個團隊為榮。", "很感動。"],
}
ANSWERS = {
    "en": "Thank you for asking! Details are on our website.",
    "zh-hant": "謝謝您的提問！詳情請見官網。",
}


@dataclass(frozen=True)
class SynthComment:
    index: int  # the n-th top-level comment, from 0
    author_id: str
    author_name: str
    text: str
    created_at: dt.datetime
    is_question: bool
    reply_at: dt.datetime | None  # when the account answered, if it has by `now`
    reply_text: str


def _time_of(post: SynthPost, share: float, now: dt.datetime) -> dt.datetime:
    """When the post's curve reached `share` of its lifetime (bisection; the curve never decreases)."""
    low, high = post.published_at, max(now, post.published_at + dt.timedelta(seconds=1))
    for _ in range(32):
        mid = low + (high - low) / 2
        if lifetime_share(post, mid) < share:
            low = mid
        else:
            high = mid
    return high


def conversation(post: SynthPost, now: dt.datetime) -> list[SynthComment]:
    """The post's top-level comments made by `now`, oldest first, each with the account's reply if any."""
    count = min(post_metrics(post, now).get("comments", 0), MAX_COMMENTS)
    if count <= 0:
        return []
    final = post_metrics(post, post.published_at + dt.timedelta(days=3650)).get("comments", 0) or count
    language = "zh-hant" if post.language.lower().startswith("zh") else "en"
    out = []
    for i in range(count):
        # The i-th comment appears when the comment count reaches i + 1 (its share of the lifetime total).
        created = _time_of(post, (i + 1) / max(final, 1), now)
        question = hash_unit("question", post.post_id, i) < 0.32
        pool = QUESTIONS[language] if question else REMARKS[language]
        text = pool[hash_int("text", post.post_id, i) % len(pool)]
        answer_chance = 0.55 if question else 0.08
        reply_at = None
        if hash_unit("answered", post.post_id, i) < answer_chance:
            at = created + dt.timedelta(hours=min(lognormal(0.9, "delay", post.post_id, i) * 3.0, 72.0))
            reply_at = at if at <= now else None
        author = str(1600000000000000000 + hash_int("commenter", post.post_id, i) % 10**17)
        out.append(SynthComment(i, author, f"Reader {author[-5:]}", text, created, question, reply_at,
                                ANSWERS[language]))
    return out
