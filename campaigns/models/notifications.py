"""What a person is told: a post submitted, approved or rejected, an account that needs reconnecting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models.organizations import Account
from campaigns.models.posts import Post


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person; shown in the app always, sent by e-mail unless they turned its kind off."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Post submitted for review")
        APPROVED = "approved", _("Post approved")
        REJECTED = "rejected", _("Post rejected")
        RECONNECT = "reconnect", _("Account needs reconnecting")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
                             verbose_name=_("post"))
    account = models.ForeignKey(Account, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="notifications", verbose_name=_("account"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when the worker claims the e-mail, so a redelivered task never sends it twice.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"

    def target_path(self) -> str:
        """Where the notification leads: its post, else the account to reconnect."""
        if self.post_id:
            return reverse("post_detail", args=[self.post_id])
        if self.account_id:
            return reverse("account_edit", args=[self.account_id])
        return reverse("notification_list")
