from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Members only (settings.SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): the schema by token or session,
# the docs page after logging in. The split view serves Swagger UI's start-up script as a file of its
# own (?script), so the page needs no inline script under the Content-Security-Policy; Swagger UI's
# page does carry an inline <style>, allowed on this page only.
docs_view = csp_update({"style-src-elem": [UNSAFE_INLINE]})(
    login_required(SpectacularSwaggerSplitView.as_view(url_name="api_schema"))
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", docs_view, name="api_docs"),
]
