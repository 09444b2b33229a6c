"""Deterministic synthetic posts, metrics, followers and audiences for any platform account.

Pure functions, no database: the same account id (or post id) and the same `now` always give the
same answer. Everything a lookup needs is recomputable from the post id alone:

- Each account posts on a per-UTC-day schedule derived from a hash of (platform, account bucket,
  day), about `posts_per_day` a day at daytime hours of its audience.
- The *bucket* is a 16-bit hash of the account id. Post ids carry the publication time, the
  post's rank that day and the bucket, so a lookup recomputes the day's schedule and checks the
  post is really on it (random ids are not found). Facebook ids carry the whole page id.
  Id layouts: Facebook "{page}_{unixseconds}{rank:02}", Facebook video "7{unixseconds}{rank:02}
  {bucket:05}", Instagram media "18{unixseconds}{rank:02}{bucket:05}", X snowflake
  ((ms - epoch) << 22 | bucket << 6 | rank), YouTube 11 url-safe base64 characters packing
  seconds, rank, bucket and a check value.
- Metrics are a post's final total times a saturating curve of its age (fast first day, long
  tail), with time warped by a day-night rhythm so counts rise faster during the audience's day;
  a few posts "take off" with a large multiplier. The curve never decreases.
- Accounts in profiles.ACCOUNTS use their profile; SEED_POSTS appear among their account's posts.

The public names are re-exported here, so callers write `synthetic.posts(...)`.
"""

from metrics.sandbox.synthetic.accounts import (
    HISTORY_DAYS,
    MAX_PER_DAY,
    PLATFORMS,
    REFERENCE_DATE,
    UTC,
    X_EPOCH_MS,
    audience_countries,
    bucket,
    followers,
    hash_int,
    profile,
)
from metrics.sandbox.synthetic.curves import (
    average_view_seconds,
    country_shares,
    decode_token,
    encode_token,
    iso8601_duration,
    lifetime_share,
    post_country_views,
    post_metrics,
    x_user_id_for_username,
    youtube_channel_of_playlist,
    youtube_hidden_counts,
    youtube_uploads_playlist,
)
from metrics.sandbox.synthetic.posts import (
    SynthPost,
    _day_posts,
    _day_times,
    account_of_post,
    facebook_video_id,
    post_by_id,
    posts,
)

__all__ = [
    "hash_int",
    "UTC",
    "PLATFORMS",
    "HISTORY_DAYS",
    "REFERENCE_DATE",
    "X_EPOCH_MS",
    "MAX_PER_DAY",
    "bucket",
    "profile",
    "followers",
    "audience_countries",
    "SynthPost",
    "_day_times",
    "_day_posts",
    "posts",
    "facebook_video_id",
    "account_of_post",
    "post_by_id",
    "post_metrics",
    "lifetime_share",
    "average_view_seconds",
    "post_country_views",
    "country_shares",
    "youtube_hidden_counts",
    "iso8601_duration",
    "x_user_id_for_username",
    "youtube_uploads_playlist",
    "youtube_channel_of_playlist",
    "encode_token",
    "decode_token",
]
