from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("campaigns.api.urls")),
    path("api/v1/", include("metrics.api.urls")),
    path("api/", include("config.api_docs_urls")),
    path("", include("metrics.urls")),
    path("", include("campaigns.urls")),
]

if settings.SANDBOX_ENABLED:
    # Offline stand-ins for the four platforms' APIs: https://HOST/... → /sandbox/HOST/...
    urlpatterns.insert(0, path("sandbox/", include("metrics.sandbox.urls")))

# Unrouted /api/ paths answer JSON in the API's error shape; other paths keep the HTML page.
handler404 = "config.api_errors.not_found"
# A database outage answers 503 with Retry-After (config.outage); any other error the usual 500.
handler500 = "config.outage.server_error"
