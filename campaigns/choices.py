"""Choice lists shared by the planning models, forms and the metrics app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    VIEWER = "viewer", _("Viewer")


class Platform(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X")
    YOUTUBE = "youtube", _("YouTube")


class PostFormat(models.TextChoices):
    TEXT = "text", _("Text")
    LINK = "link", _("Link")
    IMAGE = "image", _("Image")
    CAROUSEL = "carousel", _("Carousel")
    VIDEO = "video", _("Video")
    SHORT_VIDEO = "short_video", _("Short video / reel")
    STORY = "story", _("Story")
    LIVE = "live", _("Live")
    POLL = "poll", _("Poll")


class Trait(models.TextChoices):
    """Declared traits of a post, read by the four-principle scoring."""

    BEHIND_THE_SCENES = "behind_the_scenes", _("Behind the scenes")
    REAL_PERSON = "real_person", _("Features a real person speaking")
    ORIGINAL_FOOTAGE = "original_footage", _("Original footage")
    USER_GENERATED = "user_generated", _("User-generated content")
    CALL_TO_ACTION = "call_to_action", _("Question / call to action")
    POLL = "poll", _("Poll")
    PRIZE_DRAW = "prize_draw", _("Prize draw")
    LIVE_QA = "live_qa", _("Live Q&A")
