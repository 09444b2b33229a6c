from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Metrics and scores")

    def ready(self) -> None:
        # The sandbox keeps its model (table metrics_sandboxfault) and admin in its own package;
        # registering them here keeps product modules free of any import of the sandbox.
        from metrics.sandbox import admin, models  # noqa: F401
