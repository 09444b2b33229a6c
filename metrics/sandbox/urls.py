"""The sandbox's hosts: https://HOST/... is served at /sandbox/HOST/..."""

from django.urls import re_path

from metrics.sandbox import graph, x, youtube, youtube_reporting

urlpatterns = [
    re_path(r"^(?P<host>graph\.facebook\.com|graph\.instagram\.com)/?$", graph.graph_view, name="sandbox_graph_root"),
    re_path(r"^(?P<host>graph\.facebook\.com|graph\.instagram\.com)/(?P<path>.+)$", graph.graph_view,
            name="sandbox_graph"),
    re_path(r"^(?P<host>api\.x\.com|api\.twitter\.com)/(?P<path>.+)$", x.x_view, name="sandbox_x"),
]

urlpatterns += [
    re_path(r"^(?P<host>www\.googleapis\.com|youtube\.googleapis\.com)/youtube/v3/(?P<resource>\w+)/?$",
            youtube.data_view, name="sandbox_youtube"),
    re_path(r"^(?P<host>youtubeanalytics\.googleapis\.com)/v2/reports/?$", youtube.analytics_view,
            name="sandbox_youtube_analytics"),
    re_path(r"^(?P<host>youtubereporting\.googleapis\.com)/v1/(?P<path>.+)$", youtube_reporting.reporting_view,
            name="sandbox_youtube_reporting"),
]
