"""Charts that tell the truth, read back from the chart Chart.js really drew in headless Chromium:

- a post's readings three hours apart and three weeks apart sit at distances proportional to time
  (a categorical axis spaced them evenly), in the user's zone and language;
- the overview's follower growth is indexed to 100 on the first day, so an account of 22 K and one of 424 K
  are comparable, with the absolute figure in the tooltip; a day not read breaks the line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from campaigns.models import Account, Profile
from metrics.models import DailyAccountRollup, PostMetricSnapshot
from tests.factories import AccountFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test" / "screenshots"
PHONE = {"width": 390, "height": 844}

CHART_DRAWN = "(id) => { const c = document.querySelector(`canvas[data-chart='${id}']`); " \
              "return !!(c && window.Chart && Chart.getChart(c)); }"
# x pixel, value and skipped flag of each point of each dataset, and the time axis's settings.
READ_CHART = """(id) => {
  const chart = Chart.getChart(document.querySelector(`canvas[data-chart='${id}']`));
  const x = chart.scales.x;
  return {
    type: x.type, zone: chart.options.scales.x.adapters.date.zone, locale: chart.options.scales.x.adapters.date.locale,
    datasets: chart.data.datasets.map((ds, i) => ({label: ds.label,
      points: chart.getDatasetMeta(i).data.map((p, j) => ({x: p.x, y: ds.data[j].y, skip: p.skip,
                                                           absolute: ds.data[j].absolute}))})),
    title: chart.options.plugins.tooltip.callbacks.title([{parsed: {x: x.getValueForPixel(x.left)}}]),
  };
}"""


def sign_in(page, client, live_server, user) -> None:
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.mark.django_db(transaction=True)
def test_readings_are_spaced_by_time_in_the_users_zone(page, live_server, client, people, org):
    Profile.objects.update_or_create(user=people.editor, defaults={"timezone": "Asia/Taipei", "language": "zh-hant"})
    post = PostFactory(campaign__organization=org, status="published")
    start = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)
    for offset, views in [(dt.timedelta(0), 100), (dt.timedelta(hours=3), 400), (dt.timedelta(days=21), 900)]:
        PostMetricSnapshot.objects.create(post=post, slot=start + offset, captured_at=start + offset,
                                          views=views, reactions=views // 10)
    sign_in(page, client, live_server, people.editor)
    page.set_viewport_size(PHONE)
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    chart_id = f"chart-post-{post.pk}-curve"
    page.wait_for_function(CHART_DRAWN, arg=chart_id, timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"canvas[data-chart='{chart_id}']").screenshot(path=str(SCREENSHOTS / "chart-zh-post-readings.png"))
    chart = page.evaluate(READ_CHART, chart_id)

    assert chart["type"] == "time"
    assert (chart["zone"], chart["locale"]) == ("Asia/Taipei", "zh-hant")
    xs = [p["x"] for p in chart["datasets"][0]["points"]]
    # 3 hours of 21 days: about 0.6 % of the way, where an evenly spaced axis put the second reading halfway.
    assert (xs[1] - xs[0]) / (xs[2] - xs[0]) == pytest.approx(3 / (21 * 24), abs=0.005)
    # The axis's first day is a Taipei date, written in Chinese (luxon, Intl).
    assert "年" in chart["title"] and "月" in chart["title"]


@pytest.mark.django_db(transaction=True)
def test_follower_growth_is_indexed_to_100_with_a_gap_where_a_day_was_not_read(page, live_server, client, people,
                                                                                 org):
    Profile.objects.update_or_create(user=people.admin, defaults={"language": "zh-hant"})
    small = AccountFactory(organization=org, handle="small", platform="x")
    large = AccountFactory(organization=org, handle="large", platform="facebook")
    today = dt.datetime.now(dt.UTC).date()
    days = [today - dt.timedelta(days=n) for n in range(6, -1, -1)]
    for i, day in enumerate(days):
        DailyAccountRollup.objects.create(account=large, day=day, followers=424_000 + 424 * i)
        if i != 3:  # a day nobody read the small account
            DailyAccountRollup.objects.create(account=small, day=day, followers=22_000 + 440 * i)
    Account.objects.exclude(pk__in=[small.pk, large.pk]).filter(organization=org).delete()

    sign_in(page, client, live_server, people.admin)
    page.set_viewport_size(PHONE)
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/overview/")
    chart_id = "chart-overview-followers"
    page.wait_for_function(CHART_DRAWN, arg=chart_id, timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"canvas[data-chart='{chart_id}']").screenshot(path=str(SCREENSHOTS / "chart-zh-followers.png"))
    chart = page.evaluate(READ_CHART, chart_id)

    by_label = {d["label"]: d["points"] for d in chart["datasets"]}
    large_points = next(points for label, points in by_label.items() if "large" in label)
    small_points = next(points for label, points in by_label.items() if "small" in label)
    assert large_points[0]["y"] == 100 and small_points[0]["y"] == 100
    assert small_points[-1]["y"] == pytest.approx(100 * (22_000 + 440 * 6) / 22_000, abs=0.01)  # 112, not flat
    # (zh-Hant writes no thousands separator in Django's formats)
    assert large_points[-1]["absolute"].replace(",", "") == "426544"
    # The small account's missing day is a skipped point: the line stops there instead of bridging it.
    assert [p["skip"] for p in small_points].count(True) == 1
    # Days are a day apart on the axis however many points each account has.
    gaps = [b["x"] - a["x"] for a, b in zip(large_points, large_points[1:], strict=False)]
    assert max(gaps) - min(gaps) < 1
