"""Who notable shared our work: a watch list of notable accounts, and their reshares, quotes and mentions.

The source article's proudest fact about "A Perfect Pair" is not a view count but that a foreign ministry's
bureau reshared it. An organization keeps a watch list of such accounts (foreign officials, ministries,
missions, media, NGOs); the worker finds their reshares and quotes where the platform says who reshared
(X), and a team records the rest by hand with a link to the evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from campaigns.choices import Platform
from campaigns.models.organizations import Organization
from campaigns.models.posts import Post
from campaigns.validators import validate_country


class NotableAccount(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Foreign official")
        MINISTRY = "ministry", _("Ministry or government body")
        MISSION = "mission", _("Diplomatic mission")
        MEDIA = "media", _("Media")
        NGO = "ngo", _("NGO or international organization")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="notable_accounts",
                                     verbose_name=_("organization"))
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=100, help_text=_("The username, without @."))
    platform_user_id = models.CharField(
        _("platform user ID"), max_length=64, blank=True,
        help_text=_("Filled in when the platform names the account; matches survive a change of username."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country])
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "platform", "handle"], name="notable_unique_handle"),
        ]
        verbose_name = _("notable account")
        verbose_name_plural = _("notable accounts")

    def __str__(self) -> str:
        return f"{self.name} (@{self.handle})"

    @property
    def country_name(self) -> str:
        """The country in the active UI language (django-countries), or "" when none is set."""
        return str(countries.name(self.country)) if self.country else ""

    def clean(self) -> None:
        # People paste "@handle" or a profile URL's last part; keep the bare username so matches are exact.
        self.handle = (self.handle or "").strip().lstrip("@")
        if not self.handle:
            raise ValidationError({"handle": _("Enter the account's username.")})


class Amplification(models.Model):
    class Kind(models.TextChoices):
        RESHARE = "reshare", _("Reshare")
        QUOTE = "quote", _("Quote")
        MENTION = "mention", _("Mention")
        COMMENT = "comment", _("Comment")

    class Source(models.TextChoices):
        FOUND = "found", _("Found on the platform")
        MANUAL = "manual", _("Entered by hand")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="amplifications", verbose_name=_("post"))
    notable = models.ForeignKey(NotableAccount, on_delete=models.CASCADE, related_name="amplifications",
                                verbose_name=_("notable account"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"), null=True, blank=True)
    link = models.URLField(_("evidence link"), max_length=500, blank=True)
    # The platform's id of the quote or comment; blank for a reshare, which has no post of its own here.
    platform_item_id = models.CharField(max_length=64, blank=True, default="")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            # The worker finds the same reshare on every pass: it is recorded once.
            models.UniqueConstraint(fields=["post", "notable", "kind", "platform_item_id"],
                                    name="amplification_unique_item"),
        ]
        verbose_name = _("amplification")
        verbose_name_plural = _("amplifications")

    def __str__(self) -> str:
        return f"{self.notable} · {self.get_kind_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.source == self.Source.MANUAL and not self.link:
            errors["link"] = str(_("Link to the reshare, quote or mention, so others can check it."))
        if self.occurred_at and self.occurred_at > timezone.now():
            errors["occurred_at"] = str(_("It is recorded once it happened: the time cannot be in the future."))
        if self.post_id and self.notable_id:
            if self.notable.organization_id != self.post.account.organization_id:
                errors["notable"] = str(_("The notable account is on another organization's watch list."))
            elif self.notable.platform != self.post.account.platform and self.kind == self.Kind.RESHARE:
                errors["kind"] = str(_("A reshare happens on the post's own platform; use mention for another one."))
            if self.post.published_at and self.occurred_at and self.occurred_at < self.post.published_at:
                errors["occurred_at"] = str(_("Before the post was published."))
        if errors:
            raise ValidationError(errors)
