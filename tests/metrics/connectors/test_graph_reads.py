"""An `?ids=` read and how it is narrowed after a refusal (pure: no HTTP)."""

from metrics.connectors.facebook import IdsRead

READ = IdsRead(("1_1", "1_2", "1_3"), "shares", (("insights", ("post_media_view",)),
                                                 ("video_insights", ("total_video_views",))))


def test_fields_expand_each_edge_with_its_metrics():
    assert READ.fields == ("shares,insights.metric(post_media_view){name,values},"
                           "video_insights.metric(total_video_views){name,values}")
    assert READ.relative_url.startswith("?ids=1_1,1_2,1_3&fields=shares,insights.metric(post_media_view)")


def test_halving_keeps_every_post_and_every_metric():
    assert [r.ids for r in READ.halves()] == [("1_1",), ("1_2", "1_3")]
    # One metric on each of two edges: split across the edges, asked of the same posts.
    first, second = READ.metric_halves()
    assert first.edges == (("insights", ("post_media_view",)),)
    assert second.edges == (("video_insights", ("total_video_views",)),)
    assert first.ids == second.ids == READ.ids
    assert READ.without_edge("insights").edges == (("video_insights", ("total_video_views",)),)
