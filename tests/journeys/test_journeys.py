"""The users' journeys, end to end, in Traditional Chinese, in headless Chromium against a live server with
the demo loaded and a real Celery worker process (the import, its roll-ups and scores run there).

Each step is what a person does: clicks and form fills, never a URL typed where the product offers a link.
An editor creates a campaign with KPI targets and plans a five-day series, edits a post and submits the five;
an approver rejects one with a comment and approves the rest; the editor reads the comment and sees the
states on the calendar; an admin uploads a platform export and watches its progress; a manager reads the
dashboard, changes its range, downloads the PDF report and an Excel file (both opened and checked) and
switches the interface to English. Every step is screenshotted at desktop width and at 390 px under
var/test/screenshots/journey-*.png for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

import config.settings as configured
from campaigns.models import Campaign, Post
from metrics.models import DailyPostRollup, MetricImport
from tests.metrics.ingestion.test_worker_kill import _database_url, _kill, _purge, _wait

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test" / "screenshots"
PASSWORD = "softpower-demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}
CAMPAIGN = "台灣衛生外交週"
SERIES = "印太問答週"
REJECTION = "第三天的圖卡請改用繁體中文說明。"
# The demo's Facebook post "國慶日 SDG 特輯" (campaign "An SDG a Day"), as Meta Business Suite exports it.
CJK_TITLE = "國慶日 SDG 特輯"
IMPORTED_VIEWS = 2_468_000
META_EXPORT = (
    '\ufeff"Post ID","Page ID","Page name",Title,Description,"Publish time",Permalink,"Post type",Languages,'
    'Date,Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares\n'
    f'6010,104857600000001,"MOFA Taiwan",{CJK_TITLE},"國慶日快樂","10/10/2026 10:00",'
    f'https://www.facebook.com/104857600000001/posts/6010,Photos,zh-Hant,Lifetime,"{IMPORTED_VIEWS:,}",'
    '"1,900,000","61,234","50,000","8,000","3,234"\n'
)


def _follow(page, selector: str) -> None:
    """Click a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def _shot(page, name: str, *, chinese: bool = True) -> None:
    """The step as the person saw it, at desktop width and on a phone."""
    if chinese:
        _in_chinese(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"journey-{name}-desktop.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"journey-{name}-phone.png"))
    page.set_viewport_size(DESKTOP)


# The product's own words: labels, headings, buttons, column heads, hints, badges, messages, the navbar.
CHROME = ("nav a, main label, main legend, main h1, main h2, main h3, main thead th, main button, main .form-text,"
          " main .badge, main .alert, main .breadcrumb, main dt, main .hint, main .dropdown-header, main option")
# Names and codes that stay as they are in Chinese: platforms, formats, standards.
KEPT = {"Softpower", "Facebook", "Instagram", "YouTube", "Excel", "CSV", "PDF", "API", "KPI", "ISO", "UTC", "SDG",
        "Meta", "Business", "Suite", "Reels", "English", "N’Ko"}
# The platforms' own names of their export files, which people look for in the platforms' English menus.
PLATFORM_FILES = ("account_analytics_content", "tweet activity", "Table data.csv")


def _data_words() -> set[str]:
    """What people typed or the platforms sent (names, titles, handles): English there is not the product's."""
    from django.contrib.auth.models import User

    from campaigns.models import Account, Event, Influencer, Organization, Series

    texts = [*Campaign.objects.values_list("name", flat=True), *Post.objects.values_list("title", flat=True),
             *Account.objects.values_list("handle", flat=True), *Event.objects.values_list("name", flat=True),
             *Organization.objects.values_list("name", flat=True), *Series.objects.values_list("name", flat=True),
             *Influencer.objects.values_list("name", flat=True),
             *MetricImport.objects.values_list("original_name", flat=True),
             *(f"{u.username} {u.first_name} {u.last_name}" for u in User.objects.all())]
    return {word for text in texts for word in re.findall(r"[A-Za-z][A-Za-z'’-]+", text)}


def _in_chinese(page) -> None:
    """The page is in Traditional Chinese, and none of the product's own words on it is English."""
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "zh-hant", page.url
    shown = page.eval_on_selector_all(CHROME, "els => els.filter(e => e.offsetParent !== null || e.tagName === "
                                              "'OPTION').map(e => e.innerText || e.textContent)")
    # Languages are listed as "繁體中文 (zh-Hant)": the tag in brackets is the code people also know them by.
    # (CLDR names about 200 rarer languages in English only; those show their tag.)
    shown = [re.sub(r"^[a-z]{2,3}$", "", re.sub(r"\([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*\)", "", text).strip())
             for text in shown]
    shown = [re.sub("|".join(map(re.escape, PLATFORM_FILES)), "", text) for text in shown]
    english = {w for text in shown for w in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)} - KEPT - _data_words()
    assert not english, f"English on {page.url}: {sorted(english)}"


def _person(browser, live_server, username: str):
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW", timezone_id="Asia/Taipei",
                                  extra_http_headers={"Accept-Language": "zh-Hant"}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    _in_chinese(page)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    _follow(page, "main button[type=submit]")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} could not sign in"
    return page


def _start_worker(live_server, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": _database_url(),
           "PLATFORM_API_BASE": live_server.url + "/sandbox", "PYTHONUNBUFFERED": "1"}
    celery = Path(sys.executable).with_name("celery")
    # Its own session, so the worker and its pool child are ended together, by group id.
    return subprocess.Popen(
        [str(celery), "-A", "config", "worker", "-P", "solo", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-l", "INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def test_editor_approver_admin_and_manager_journeys_in_zh_hant(browser, live_server, settings, tmp_path):
    settings.DEBUG = True  # load_demo refuses otherwise
    # The worker process reads uploads where the settings put them, not in this test's own media folder.
    settings.MEDIA_ROOT = configured.MEDIA_ROOT
    _purge()
    log = tmp_path / "worker.log"
    worker = _start_worker(live_server, log)  # it imports while the demo loads
    try:
        call_command("load_demo")
        _wait(lambda: b"ready." in log.read_bytes(), 120, "the worker to start", log)
        today = timezone.localdate()
        _editor_plans_and_submits(browser, live_server, today)
        _approver_reviews(browser, live_server)
        _editor_reads_the_comment(browser, live_server)
        _admin_imports_an_export(browser, live_server, log, tmp_path)
        _manager_reads_the_dashboard(browser, live_server, today, tmp_path)
    finally:
        _kill(worker)
    assert "Traceback" not in log.read_text(errors="replace")


def _editor_plans_and_submits(browser, live_server, today: dt.date) -> None:
    page = _person(browser, live_server, "editor")
    _shot(page, "editor-01-home")

    # A campaign with its target countries and languages, then its KPI targets.
    _follow(page, "nav a:text-is('宣傳活動')")
    _follow(page, "main a:text-is('新增宣傳活動')")
    _in_chinese(page)
    labels = page.locator("main form .form-label").all_inner_texts()  # the events offered are data
    assert not [text for text in labels if re.search(r"[A-Za-z]{3}", text)], labels  # no English field label
    page.select_option("#id_organization", label="Department of Information Services")
    page.fill("#id_name", CAMPAIGN)
    page.fill("#id_objective", "讓越南與美國的觀眾認識台灣的醫療援助。")
    start, end = today + dt.timedelta(days=7), today + dt.timedelta(days=35)
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", end.isoformat())
    page.select_option("#id_target_countries", ["VN", "US"])  # chosen from lists named in Chinese
    page.select_option("#id_languages", ["zh-Hant", "en"])
    _shot(page, "editor-02-campaign-form")
    _follow(page, "main button[type=submit]")
    page.wait_for_url(re.compile(r"/campaigns/\d+/kpis/$"))
    campaign = Campaign.objects.get(name=CAMPAIGN)
    page.select_option("#id_kpi-0-metric", "views")
    page.fill("#id_kpi-0-target_value", "1000000")
    page.select_option("#id_kpi-1-metric", "interactions")
    page.fill("#id_kpi-1-target_value", "50000")
    _shot(page, "editor-03-kpis")
    _follow(page, "main button[type=submit]")
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    details = page.inner_text("main")
    # Countries and languages by name, in Chinese, not as codes.
    # (in the order of the lists they were chosen from)
    assert ("越南、美國" in details or "美國、越南" in details) and "繁體中文、英文" in details, details
    assert campaign.kpi_targets.count() == 2
    _shot(page, "editor-04-campaign")

    # A five-day series in the planner; the preview lists its dates before anything is created.
    _follow(page, "main >> text=規劃系列")
    page.fill("#id_name", SERIES)
    page.select_option("#id_cadence", "daily")
    first = start + dt.timedelta(days=1)
    page.fill("#id_start_date", first.isoformat())
    page.fill("#id_end_date", (first + dt.timedelta(days=4)).isoformat())
    page.check("#series-form .form-check:has-text('Facebook') input")
    page.locator("#series-form").dispatch_event("change")
    page.wait_for_function("() => document.querySelectorAll('#series-preview tbody tr').length === 5")
    _shot(page, "editor-05-series-planner")
    _follow(page, "[data-testid=create-posts]")
    page.wait_for_url(re.compile(r"/series/\d+/$"))
    posts = list(Post.objects.filter(series__name=SERIES).order_by("planned_at"))
    assert len(posts) == 5 and {p.status for p in posts} == {Post.Status.DRAFT}
    _shot(page, "editor-06-series")

    # The first post is edited, then all five go to review.
    _follow(page, f"main a[href='/posts/{posts[0].pk}/']")
    _follow(page, "main >> a:has-text('編輯')")
    page.fill("#id_body", "第一天：台灣醫療團在越南。 #TaiwanCanHelp")
    _shot(page, "editor-07-post-editor")
    _follow(page, "main form button[type=submit]:has-text('儲存')")
    page.wait_for_url(f"**/posts/{posts[0].pk}/")
    for post in posts:
        if page.url != f"{live_server.url}/posts/{post.pk}/":
            _follow(page, f"main a[href='/series/{post.series_id}/']")  # the post page links its series
            _follow(page, f"main a[href='/posts/{post.pk}/']")
        _follow(page, "form:has(input[name=action][value=submit]) button")
        assert page.locator(".alert-success").count(), page.inner_text("main")
    _shot(page, "editor-08-submitted")
    assert set(Post.objects.filter(series__name=SERIES).values_list("status", flat=True)) == {Post.Status.IN_REVIEW}
    page.context.close()


def _approver_reviews(browser, live_server) -> None:
    page = _person(browser, live_server, "approver")
    _follow(page, "nav a:text-is('審核')")
    _in_chinese(page)
    posts = list(Post.objects.filter(series__name=SERIES).order_by("planned_at"))
    for post in posts:
        assert page.locator(f"#review-{post.pk}").count() == 1
    _shot(page, "approver-01-queue")
    rejected = posts[2]
    page.fill(f"#comment-{rejected.pk}", REJECTION)
    page.click(f"#review-{rejected.pk} button.btn-outline-danger")
    page.wait_for_selector(f"#review-{rejected.pk} .text-success")
    for post in posts:
        if post != rejected:
            page.click(f"#review-{post.pk} button.btn-success")
            page.wait_for_selector(f"#review-{post.pk} .text-success")
    _shot(page, "approver-02-reviewed")
    states = dict(Post.objects.filter(series__name=SERIES).values_list("pk", "status"))
    assert states == {p.pk: (Post.Status.DRAFT if p == rejected else Post.Status.APPROVED) for p in posts}
    page.context.close()


def _editor_reads_the_comment(browser, live_server) -> None:
    page = _person(browser, live_server, "editor")
    rejected = Post.objects.get(series__name=SERIES, status=Post.Status.DRAFT)
    # The post page's history shows the approver's comment.
    _follow(page, "nav a:text-is('宣傳活動')")
    _follow(page, f"main >> text={CAMPAIGN}")
    _follow(page, f"main a[href='/posts/{rejected.pk}/']")
    assert REJECTION in page.inner_text("main")
    _shot(page, "editor-09-rejection-comment")
    # The calendar, opened from the series, shows four approved posts and the draft.
    _follow(page, f"main a:text-is('{SERIES}')")
    _follow(page, "main >> text=在行事曆上查看")
    _in_chinese(page)
    page.wait_for_selector(f"[data-post='{rejected.pk}']")
    shown = page.eval_on_selector_all(
        ".calendar-post[data-status]", "els => els.map(e => [Number(e.dataset.post), e.dataset.status])")
    ours = {pk: status for pk, status in shown if pk in
            set(Post.objects.filter(series__name=SERIES).values_list("pk", flat=True))}
    assert sorted(ours.values()) == ["approved"] * 4 + ["draft"], shown
    _shot(page, "editor-10-calendar")
    page.context.close()


def _admin_imports_an_export(browser, live_server, log: Path, tmp_path: Path) -> None:
    # Named as Meta Business Suite names it, for a period ending today: its figures are today's reading.
    today = dt.datetime.now(dt.UTC).date()
    export = tmp_path / f"Oct-01-2026_{today:%b-%d-%Y}_MOFA.csv"
    export.write_text(META_EXPORT, encoding="utf-8")
    page = _person(browser, live_server, "admin")
    page.click("nav button:text-is('更多')")  # the secondary pages sit under "More"
    _follow(page, "nav a:text-is('資料擷取')")
    _follow(page, "main a:has-text('匯入 CSV 匯出檔')")
    _in_chinese(page)
    facebook = page.locator("#id_account option", has_text="MOFA.Taiwan.demo").filter(has_text="Facebook")
    page.select_option("#id_account", facebook.first.get_attribute("value"))
    page.set_input_files("#id_file", str(export))
    _shot(page, "admin-01-upload")
    _follow(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    # The worker runs the import; the page polls its progress until it is done.
    page.wait_for_selector("#import-progress .text-bg-success", timeout=90_000)
    progress = page.inner_text("#import-progress")
    assert "Meta Business Suite" in progress and "Facebook 貼文" in progress, progress  # the format, in Chinese
    imp = MetricImport.objects.get()
    assert (imp.status, imp.imported_rows) == ("done", 1), imp.error
    _shot(page, "admin-02-import-done")
    # Its roll-ups and scores are worker jobs too: wait for the post's figures to reach the dashboard.
    post = Post.objects.get(title=CJK_TITLE)
    _wait(lambda: DailyPostRollup.objects.filter(post=post, views=IMPORTED_VIEWS).exists(), 60,
          "the imported figures to be rolled up", log)
    page.context.close()


def _manager_reads_the_dashboard(browser, live_server, today: dt.date, tmp_path: Path) -> None:
    page = _person(browser, live_server, "manager")
    _follow(page, "nav a:text-is('總覽')")
    _in_chinese(page)
    _shot(page, "manager-01-overview")
    campaign = Campaign.objects.get(name="An SDG a Day")
    _follow(page, "nav a:text-is('宣傳活動')")
    _follow(page, "main >> text=An SDG a Day")
    _follow(page, "main >> a:has-text('儀表板')")
    page.wait_for_url(f"**/campaigns/{campaign.pk}/dashboard/")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('canvas[data-chart]')).every(c => Chart.getChart(c))")
    assert CJK_TITLE in page.inner_text("main")
    _shot(page, "manager-02-dashboard")

    # A range: October to today. The exports and the PDF then follow it.
    start = dt.date(2026, 10, 1)
    page.fill("#start", start.isoformat())
    page.fill("#end", today.isoformat())
    _follow(page, "main form[method=get] button[type=submit]")
    page.wait_for_url(re.compile(r"start=2026-10-01"))
    _shot(page, "manager-03-range")

    with page.expect_download() as download:
        page.click("main >> text=PDF 報告")
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert f"start={start.isoformat()}" in download.value.url
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "An SDG a Day" in text and CJK_TITLE in text, text[:2000]  # the CJK title comes back from the PDF
    assert "2026年10月1日" in text, text[:2000]  # the range chosen on the page, in Chinese dates

    page.click("main button.dropdown-toggle")
    _shot(page, "manager-04-export-menu")
    with page.expect_download() as download:
        page.locator("main .dropdown-menu a", has_text="Excel").first.click()
    assert f"start={start.isoformat()}" in download.value.url
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    headers, ours = rows[0], next(r for r in rows[1:] if r[1] == CJK_TITLE)
    assert "標題" in headers, headers  # Chinese headers
    assert ours[headers.index("觀看次數")] == IMPORTED_VIEWS, (headers, ours)

    # Back to English, remembered for the manager.
    _follow(page, "nav button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Dashboard" in page.inner_text("main")
    _shot(page, "manager-05-english", chinese=False)
    page.context.close()
