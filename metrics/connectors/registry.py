"""Which connector class serves which platform, imported lazily by dotted path."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

from metrics.connectors.base import Connector

CONNECTORS = {
    "facebook": "metrics.connectors.facebook.FacebookConnector",
    "instagram": "metrics.connectors.instagram.InstagramConnector",
    "x": "metrics.connectors.x.XConnector",
    "youtube": "metrics.connectors.youtube.YouTubeConnector",
}


def connector_class(platform: str) -> type[Connector]:
    try:
        path = CONNECTORS[platform]
    except KeyError:
        raise ValueError(f"no connector for platform {platform!r}") from None
    found: type[Connector] = import_string(path)
    return found


def connector_for(platform: str, *, account_platform_id: str, access_token: str, **options: Any) -> Connector:
    return connector_class(platform)(account_platform_id=account_platform_id, access_token=access_token, **options)
