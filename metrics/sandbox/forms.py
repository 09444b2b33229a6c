"""The admin's knob panel for sandbox faults: choices and per-kind option checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Platform
from metrics.sandbox.models import SandboxFault

GRAPH_RATE_CODES = (4, 17, 32, 613, 80001, 80002)
YOUTUBE_REASONS = ("quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded", "userRateLimitExceeded")

OPTIONS_HELP = _(
    "JSON. rate_limit: Facebook/Instagram {\"code\": 4|17|32|613|80001|80002}; X {\"style\": \"problem\"|\"v1\", "
    "\"reset_seconds\": 60}; YouTube {\"reason\": \"quotaExceeded\"|\"rateLimitExceeded\"|…}. "
    "server_error: {\"status\": 500|503}. expired_token (Graph): {\"subcode\": 463}."
)


class SandboxFaultForm(forms.ModelForm):
    platform = forms.ChoiceField(label=_("platform"), choices=Platform.choices)

    class Meta:
        model = SandboxFault
        fields = ["platform", "account_platform_id", "kind", "remaining", "delay_seconds", "options", "enabled"]
        help_texts = {
            "account_platform_id": _("Page, Instagram user, X user or YouTube channel id. The fault also hits "
                                     "requests for that account's posts."),
            "remaining": _("How many more requests fail; empty = every request until disabled. Counts down."),
            "delay_seconds": _("For slow replies: seconds to wait before answering."),
            "options": OPTIONS_HELP,
        }

    def clean(self):
        data = super().clean()
        opts = data.get("options") or {}
        if not isinstance(opts, dict):
            self.add_error("options", _("Options must be a JSON object."))
            return data
        kind, platform = data.get("kind"), data.get("platform")
        if kind == SandboxFault.Kind.RATE_LIMIT:
            if platform in ("facebook", "instagram") and "code" in opts and opts["code"] not in GRAPH_RATE_CODES:
                self.add_error("options", _("Graph rate-limit code must be one of %(codes)s.")
                               % {"codes": ", ".join(map(str, GRAPH_RATE_CODES))})
            if platform == "x" and opts.get("style", "problem") not in ("problem", "v1"):
                self.add_error("options", _("X style must be \"problem\" or \"v1\"."))
            if platform == "youtube" and opts.get("reason", "quotaExceeded") not in YOUTUBE_REASONS:
                self.add_error("options", _("YouTube reason must be one of %(r)s.") % {"r": ", ".join(YOUTUBE_REASONS)})
        if kind == SandboxFault.Kind.SERVER_ERROR and opts.get("status", 500) not in (500, 502, 503):
            self.add_error("options", _("status must be 500, 502 or 503."))
        if kind == SandboxFault.Kind.SLOW and not data.get("delay_seconds"):
            self.add_error("delay_seconds", _("A slow fault needs a delay."))
        if (data.get("delay_seconds") or 0) > 120:
            self.add_error("delay_seconds", _("At most 120 seconds."))
        return data
