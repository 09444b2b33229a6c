"""Graph API stand-in (graph.facebook.com and graph.instagram.com)."""

from metrics.sandbox.graph.views import batch, graph_get, graph_view

__all__ = ["batch", "graph_get", "graph_view"]
