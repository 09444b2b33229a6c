"""Who works here: organizations, their members and the social accounts they track."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns import crypto
from campaigns.choices import Platform, Role
from campaigns.validators import (
    validate_country,
    validate_language,
    validate_language_list,
    validate_timezone,
)


class Organization(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry department")
        MISSION = "mission", _("Mission abroad")
        CITY = "city", _("City government")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country], help_text=_("ISO 3166 code")
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Taipei", validators=[validate_timezone]
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who changed a role or removed a member, and when (the members page and the admin show it).
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class Profile(models.Model):
    """Per-user preferences: the time zone every date is shown in, and the interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Taipei", validators=[validate_timezone]
    )
    # Blank: follow the browser (Accept-Language), else LANGUAGE_CODE. Set by the language switcher, so the
    # choice follows the user to every device.
    language = models.CharField(_("interface language"), max_length=16, blank=True, choices=settings.LANGUAGES)
    # Notification kinds (campaigns.models.Notification.Kind) this user gets no e-mail for; the app shows them all.
    email_muted = models.JSONField(_("no e-mail for"), default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.timezone})"


class Influencer(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="influencers", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country], help_text=_("ISO 3166 code")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_language_list], help_text=_("language codes")
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("influencer")
        verbose_name_plural = _("influencers")

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """One social account on one platform, tracked by an organization.

    Owned by the organization itself, or by an influencer it works with (``influencer`` set).
    """

    class Connection(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnect")
        NOT_CONNECTED = "not_connected", _("Not connected")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("organization")
    )
    influencer = models.ForeignKey(
        Influencer, on_delete=models.SET_NULL, null=True, blank=True, related_name="accounts",
        verbose_name=_("influencer")
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=200)
    platform_id = models.CharField(_("platform id"), max_length=100)
    language = models.CharField(_("language"), max_length=16, blank=True, validators=[validate_language])
    connection_state = models.CharField(
        _("connection"), max_length=20, choices=Connection.choices, default=Connection.NOT_CONNECTED
    )
    connection_error = models.TextField(_("last connection error"), blank=True)
    # Fernet ciphertext; write through set_access_token(), never shown again after entry.
    access_token_encrypted = models.TextField(blank=True, editable=False)
    access_token_set_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "platform", "platform_id"], name="account_unique_platform_id"
            )
        ]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"

    @property
    def has_access_token(self) -> bool:
        return bool(self.access_token_encrypted)

    def set_access_token(self, token: str) -> None:
        self.access_token_encrypted = crypto.encrypt(token) if token else ""
        self.access_token_set_at = timezone.now() if token else None

    def get_access_token(self) -> str:
        return crypto.decrypt(self.access_token_encrypted) if self.access_token_encrypted else ""

    def enter_access_token(self, token: str) -> None:
        """A person saved a token (the page or the API): a new one connects, an empty one disconnects."""
        self.set_access_token(token)
        self.connection_state = self.Connection.CONNECTED if token else self.Connection.NOT_CONNECTED

    def clean(self) -> None:
        influencer = self.influencer
        if influencer is not None and self.organization_id and influencer.organization_id != self.organization_id:
            raise ValidationError({"influencer": _("The influencer belongs to another organization.")})


class ApiToken(models.Model):
    """A personal API token: shown once at creation, stored as a SHA-256 hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
