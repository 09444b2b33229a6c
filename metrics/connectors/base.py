"""What every platform connector shares: the HTTP session, retries, error classes, result dataclasses.

Connectors speak HTTP and return plain frozen dataclasses; they never touch the ORM. Every failure
becomes a ConnectorError that says whether trying again can help (`permanent`) and, when the
platform told us, how long to wait (`retry_after`, seconds).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from django.conf import settings

from metrics.connectors.redaction import redact

# Retry at most this many times inside one call; beyond, the ingestion service backs the account off
# and the next beat tick tries again, so a long outage never pins a worker.
MAX_ATTEMPTS = 4
BACKOFF_BASE_SECONDS = 1.0
# Waits longer than this (a 15-minute X window, a YouTube daily quota) are not slept in a worker:
# the error goes up with retry_after and the account's backoff carries it.
MAX_INLINE_WAIT_SECONDS = 20.0

T = TypeVar("T")


class ConnectorError(Exception):
    """A platform call failed. The message is kept, shown and logged, so it never carries a secret:
    it passes through redact() here, and the connector takes its own token out (Connector.request)."""

    def __init__(self, message: str, code: str = "", *, permanent: bool, retry_after: float | None = None,
                 http_status: int | None = None):
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.code = str(code)
        self.permanent = permanent
        self.retry_after = retry_after
        self.http_status = http_status

    def as_record(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message[:500], "permanent": self.permanent,
                "http_status": self.http_status, "retry_after": self.retry_after}

    def redact_secrets(self, secrets: Iterable[str]) -> ConnectorError:
        """Take these values (a connector's own token) out of the message; returns self."""
        self.message = redact(self.message, secrets)
        self.args = (self.message,)
        return self


class TokenExpiredError(ConnectorError):
    """The access token is invalid or expired: only a person can fix it, by reconnecting the account."""

    def __init__(self, message: str, code: str = "", *, http_status: int | None = None):
        super().__init__(message, code, permanent=True, http_status=http_status)


@dataclass(frozen=True)
class RemotePost:
    """A post as found on the platform (by a connector, a CSV export or the demo); plain data, no ORM."""

    platform_post_id: str
    published_at: dt.datetime | None
    permalink: str = ""
    format: str = "text"  # campaigns.models.PostFormat value
    title: str = ""
    body: str = ""
    language: str = ""


@dataclass(frozen=True)
class PostMetrics:
    """A post's metrics as the platform gave them; a metric it does not offer is absent (→ NULL)."""

    platform_post_id: str
    metrics: dict[str, int | None] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteComment:
    """A comment under a post, or a reply to one (`parent_id`); `by_owner` when the post's own account wrote it."""

    comment_id: str
    parent_id: str
    author_name: str
    text: str
    created_at: dt.datetime | None
    by_owner: bool


@dataclass(frozen=True)
class AccountStats:
    followers: int | None
    # ISO country → followers; None when the platform offers no audience geography for the account.
    countries: dict[str, int] | None = None


@dataclass(frozen=True)
class MetricsBatch:
    posts: tuple[PostMetrics, ...]
    missing: tuple[str, ...] = ()  # ids the platform did not return (deleted, private, not found)


def parse_time(value: str | None) -> dt.datetime | None:
    """Graph's `+0000`, X's `.000Z`, YouTube's `Z`: all ISO 8601 variants fromisoformat reads on 3.11."""
    if not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    elif len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def as_int(value: Any) -> int | None:
    """YouTube sends counts as strings; anything unreadable is 'not offered', not zero."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(float(value)) if isinstance(value, float | str) and "." in str(value) else int(value)
    except (TypeError, ValueError):
        return None


def chunked(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


class Connector:
    """One platform account's API client. Subclasses set `platform` and implement the operations."""

    platform = ""
    # Largest number of posts whose metrics one HTTP request can read.
    batch_size = 1
    api_version = ""
    # Whether the platform offers audience countries for the account's followers.
    offers_account_countries = False
    # Whether a request is what costs (YouTube units, Graph calls), so a batch's free places are free to fill.
    priced_per_request = True
    # Whether the platform delivers daily bulk reports per account (YouTube's Reporting API).
    offers_daily_reports = False
    # How often a sync reads the account's followers (account_stats); None: every sync.
    account_stats_interval: dt.timedelta | None = None

    def __init__(self, *, account_platform_id: str, access_token: str, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, max_attempts: int = MAX_ATTEMPTS,
                 max_inline_wait: float = MAX_INLINE_WAIT_SECONDS):
        self.account_platform_id = account_platform_id
        self.access_token = access_token
        self.session = session or requests.Session()
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.max_inline_wait = max_inline_wait
        self.timeout = settings.PLATFORM_HTTP_TIMEOUT
        # Bookkeeping the ingestion service copies into IngestionRun / AccountIngestionState.
        self.requests_made = 0
        self.errors: list[dict[str, Any]] = []
        self.quota: dict[str, Any] = {}
        self.dropped_metrics: set[str] = set()
        # What the requests cost in the platform's own units (spend_of); ingestion records it per hour.
        self.spend: Counter[str] = Counter()
        # Called before every HTTP attempt: ingestion renews its claim here (a heartbeat), and may
        # raise to stop a batch whose posts are no longer its own.
        self.before_request: Callable[[], None] | None = None

    # --- operations (subclasses) ------------------------------------------------------------
    def list_posts(self, since: dt.datetime | None) -> list[RemotePost]:
        raise NotImplementedError

    def post_metrics(self, post_ids: Sequence[str], formats: dict[str, str] | None = None) -> MetricsBatch:
        """Metrics of these posts in the fewest requests; `formats` (id → PostFormat) lets a platform
        ask video-only metrics for videos alone."""
        raise NotImplementedError

    def comments(self, post_id: str, *, owner_name: str = "") -> list[RemoteComment]:
        """The post's comments and the account's replies (`owner_name`: the account's username, for Instagram)."""
        raise NotImplementedError

    def account_stats(self) -> AccountStats:
        raise NotImplementedError

    # --- HTTP ---------------------------------------------------------------------------------
    @staticmethod
    def url(host: str, path: str) -> str:
        base = settings.PLATFORM_API_BASE.rstrip("/")
        return f"{base}/{host}{path}" if base else f"https://{host}{path}"

    def classify(self, response: requests.Response, body: Any) -> ConnectorError | None:
        """The platform's error for this response, or None when it is a success."""
        raise NotImplementedError

    def record_quota(self, response: requests.Response) -> None:
        """Copy the platform's usage headers into self.quota (subclasses)."""

    def spend_of(self, response: requests.Response, body: Any) -> dict[str, int]:
        """What one reply costs in the units the platform bills or limits (subclasses add theirs)."""
        return {"requests": 1, "calls": 1}

    def auth(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(extra params, extra headers) that carry the token.

        A header wherever the platform accepts one (all four do, RFC 6750 Bearer): a URL ends up in
        exception text, proxy logs and urllib3's debug lines, a header does not.
        """
        return {}, {"Authorization": f"Bearer {self.access_token}"}

    def request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                data: dict[str, Any] | None = None, json_body: dict[str, Any] | None = None,
                text: bool = False) -> Any:
        """One logical call: retried with exponential backoff and jitter while the error is transient.

        `json_body` is sent as JSON instead of a form; with `text`, a success's body is returned as text
        (a CSV download) rather than parsed as JSON.
        """
        extra, headers = self.auth()
        if method == "GET" or json_body is not None:
            params = {**(params or {}), **extra}
        else:
            data = {**(data or {}), **extra}
        attempt = 0
        while True:
            attempt += 1
            try:
                error, body = self._once(method, url, params=params, data=data, headers=headers,
                                         json_body=json_body, text=text)
            except ConnectorError as exc:  # network failure or unreadable body
                error, body = exc, None
            if error is None:
                return body
            error.redact_secrets([self.access_token])
            self.errors.append(error.as_record())
            if error.permanent or attempt >= self.max_attempts:
                raise error
            wait = self.backoff(attempt, error.retry_after)
            if wait > self.max_inline_wait:
                raise error
            if self.before_request is not None:
                self.before_request()  # a heartbeat before the wait too: no gap spans a reply and a wait
            self.sleep(wait)

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        jitter = random.uniform(0, BACKOFF_BASE_SECONDS)  # noqa: S311 -- spreading retries, not crypto
        if retry_after is not None:
            return max(retry_after, 0.0) + jitter
        return BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1) + jitter

    def _once(self, method: str, url: str, *, params: dict[str, Any] | None, data: dict[str, Any] | None,
              headers: dict[str, str], json_body: dict[str, Any] | None = None,
              text: bool = False) -> tuple[ConnectorError | None, Any]:
        if self.before_request is not None:
            self.before_request()
        self.requests_made += 1
        failure: ConnectorError | None
        try:
            response = self.session.request(method, url, params=params, data=data, json=json_body,
                                            headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            failure = self.network_error(exc)
        else:
            failure = None
        if failure is not None:
            # Raised outside the except block: a logged traceback then has no chained requests
            # exception, whose text (the URL with its query) went through no redaction.
            raise failure
        self.record_quota(response)
        if text and response.status_code < 300:
            self.spend.update(self.spend_of(response, None))
            return None, response.text
        try:
            body = response.json() if response.content else None
        except (ValueError, json.JSONDecodeError):
            body = _MALFORMED
        self.spend.update(self.spend_of(response, None if body is _MALFORMED else body))
        if body is _MALFORMED and response.status_code < 300:
            return ConnectorError(
                f"{self.platform}: the reply to {method} {_short(url)} is not valid JSON "
                f"(HTTP {response.status_code}, {len(response.content)} bytes)",
                "malformed", permanent=False, http_status=response.status_code,
            ), None
        error = self.classify(response, None if body is _MALFORMED else body)
        return error, body

    def network_error(self, exc: requests.RequestException) -> ConnectorError:
        if isinstance(exc, requests.Timeout):
            return ConnectorError(f"{self.platform}: no reply within {self.timeout:g} s", "timeout", permanent=False)
        text = redact(f"{type(exc).__name__}: {exc}", [self.access_token])
        return ConnectorError(f"{self.platform}: connection failed: {text}", "network", permanent=False)

    @staticmethod
    def retry_after_header(response: requests.Response) -> float | None:
        value = response.headers.get("Retry-After")
        if not value:
            return None
        try:
            return float(value)
        except ValueError:
            return None


_MALFORMED = object()


def _short(url: str) -> str:
    return url.split("?")[0][-120:]


def flatten(pages: Iterable[list[T]]) -> list[T]:
    return [item for page in pages for item in page]
