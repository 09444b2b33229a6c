"""CSV import of the platforms' own exports: formats, broken files, idempotent re-import."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.base import ContentFile

from campaigns.models import Post
from metrics.imports.cells import FileError, parse_count, parse_duration
from metrics.imports.formats import detect
from metrics.imports.service import as_of, import_create, import_run, period_end_from_name
from metrics.models import MetricImport, PostMetricSnapshot
from tests.factories import AccountFactory, PostFactory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"
FB_PAGE = "104857600000001"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_fixture(account, name: str) -> MetricImport:
    with open(FIXTURES / name, "rb") as fh:
        imp = import_create(account=account, uploaded_file=File(fh, name=name))
    return import_run(imp.id)


def run_bytes(account, name: str, data: bytes) -> MetricImport:
    imp = import_create(account=account, uploaded_file=ContentFile(data, name=name))
    return import_run(imp.id)


def snapshots_by_post_id(account) -> dict[str, PostMetricSnapshot]:
    return {s.post.platform_post_id: s for s in PostMetricSnapshot.objects.filter(post__account=account)
            .select_related("post")}


@pytest.fixture
def facebook(org):
    return AccountFactory(organization=org, platform="facebook", platform_id=FB_PAGE)


# --- cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [("1,204,500", 1204500), ("12", 12), ("", None), ("  ", None),
                                            ("25000.0", 25000), ("-", None)])
def test_counts_read_thousands_separators_and_keep_empty_as_none(raw, value):
    assert parse_count(raw) == value


@pytest.mark.parametrize("raw", ["12abc", "12,5", "1.5", "-3", "1,23,456"])
def test_counts_refuse_what_is_not_a_whole_count(raw):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_count(raw)


def test_durations():
    assert parse_duration("1:02:05") == 3725
    assert parse_duration("0:02:30") == 150
    assert parse_duration("95") == 95
    with pytest.raises(ValueError):  # noqa: PT011
        parse_duration("1:xx")


def test_detection_is_a_case_insensitive_subset_match_with_bom_and_spaces():
    header = ["\ufeffPOST ID", " page id ", "Publish  Time", "Reactions, comments and shares", "Views"]
    assert detect(header).key == "meta_facebook"
    assert detect(["Tweet id", "time", "impressions", "favorites"]).key == "x_tweet_activity"
    assert detect(["Content", "Video publish time", "Views", "Thumbnail impressions"]).key == "youtube_studio"


def test_unknown_header_names_the_expected_columns():
    with pytest.raises(FileError) as err:
        detect(["Post", "When", "Views"], platform="youtube")
    assert "content" in str(err.value) and "video publish time" in str(err.value)


# --- each format ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_meta_facebook_export(facebook):
    imp = run_fixture(facebook, "meta_facebook.csv")
    assert imp.status == "done", imp.error
    assert imp.detected_format == "meta_facebook"
    assert (imp.total_rows, imp.processed_rows, imp.imported_rows, imp.row_errors) == (3, 3, 3, [])
    snaps = snapshots_by_post_id(facebook)
    photo = snaps[f"{FB_PAGE}_5001"]
    assert (photo.views, photo.reach, photo.reactions, photo.comments, photo.shares, photo.clicks) == (
        12345, 9876, 350, 40, 22, 130)
    assert photo.source == "csv" and photo.extra["interactions"] == 412
    video = snaps[f"{FB_PAGE}_5002"]
    assert (video.views, video.reach, video.reactions, video.watch_time_seconds) == (1204500, 880000, 14000, 3600)
    assert video.post.body == "Line one of the caption\nline two, with a comma\nline three"
    assert video.post.format == "video" and video.post.title == "A Perfect Pair"
    assert video.post.published_at == dt.datetime(2026, 9, 29, 9, 0, tzinfo=dt.UTC)
    reel = snaps[f"{FB_PAGE}_5003"]
    assert reel.views == 800 and reel.reach is None and reel.reactions is None  # empty is not zero
    assert reel.post.format == "short_video" and reel.post.status == "published" and reel.post.campaign is None
    assert Post.history.filter(history_type="+").count() == 3  # created in bulk, with their history


@pytest.mark.django_db
def test_meta_instagram_export(org):
    account = AccountFactory(organization=org, platform="instagram", platform_id="17841400000000001")
    imp = run_fixture(account, "meta_instagram.csv")
    assert imp.status == "done" and imp.imported_rows == 3 and imp.row_errors == []
    snaps = snapshots_by_post_id(account)
    reel = snaps["17950000000007002"]
    assert (reel.views, reel.reach, reel.reactions, reel.shares, reel.comments, reel.saves) == (
        88000, 61000, 4200, 300, 120, 610)
    assert reel.extra["follows"] == 45 and reel.post.format == "short_video"
    assert snaps["17950000000007003"].post.format == "carousel"
    assert snaps["17950000000007003"].views is None


@pytest.mark.django_db
def test_legacy_page_insights_skips_the_description_row(facebook):
    imp = run_fixture(facebook, "facebook_insights_legacy.csv")
    assert imp.detected_format == "facebook_insights_legacy"
    assert imp.imported_rows == 2 and imp.row_errors == []
    snap = snapshots_by_post_id(facebook)[f"{FB_PAGE}_1002"]
    assert (snap.reach, snap.impressions, snap.clicks) == (12800, 20100, 1100)
    assert snap.post.published_at == dt.datetime(2019, 4, 10, 15, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["tweet_activity_metrics_MOFA_Taiwan_demo_20260901_20260930_en.csv",
                                  "tweet_activity_favorites.csv"])
def test_x_legacy_tweet_activity_with_likes_or_favorites(org, name):
    account = AccountFactory(organization=org, platform="x", platform_id="1300000000000000001")
    imp = run_fixture(account, name)
    assert imp.detected_format == "x_tweet_activity" and imp.imported_rows == 2, imp.row_errors
    snap = snapshots_by_post_id(account)["1790000000000007001"]
    assert (snap.impressions, snap.reactions, snap.shares, snap.comments, snap.clicks) == (25000, 600, 120, 45, 40)
    assert snap.post.published_at == dt.datetime(2026, 9, 18, 12, 0, tzinfo=dt.UTC)
    assert snapshots_by_post_id(account)["1790000000000007002"].impressions == 18000


@pytest.mark.django_db
def test_x_account_analytics_content(org):
    account = AccountFactory(organization=org, platform="x", platform_id="1300000000000000001")
    imp = run_fixture(account, "account_analytics_content_2026-09-01_2026-09-30.csv")
    assert imp.detected_format == "x_account_analytics" and imp.imported_rows == 2
    snap = snapshots_by_post_id(account)["1790000000000008001"]
    assert (snap.impressions, snap.reactions, snap.saves, snap.shares, snap.comments) == (12400, 310, 25, 66, 18)
    assert snap.post.published_at == dt.datetime(2026, 9, 13, tzinfo=dt.UTC)
    # The slot is the end of the period the file name covers.
    assert snap.slot == dt.datetime(2026, 9, 30, 23, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["youtube_studio.csv", "youtube_studio_thumbnail.csv"])
def test_youtube_studio_table_skips_total_and_reads_both_ctr_namings(org, name):
    account = AccountFactory(organization=org, platform="youtube", platform_id="UCtrendingTaiwanDemo00001")
    imp = run_fixture(account, name)
    assert imp.detected_format == "youtube_studio" and imp.row_errors == []
    assert imp.imported_rows == 3 and not Post.objects.filter(platform_post_id="Total").exists()
    snaps = snapshots_by_post_id(account)
    film = snaps["tcHperfPair"]
    assert (film.views, film.impressions, film.watch_time_seconds) == (1200000, 9000000, 180_000_900)
    assert film.extra["ctr_pct"] == 4.3 and film.extra["average_view_duration_seconds"] == 150
    assert film.post.published_at == dt.datetime(2024, 1, 6, tzinfo=dt.UTC)
    assert film.post.permalink == "https://www.youtube.com/watch?v=tcHperfPair"
    assert snaps["sdgAday0001"].extra["average_view_duration_seconds"] == 3725
    assert snaps["noStatsYet01"].views is None


# --- matching, re-import ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_land_on_planned_posts_by_id_then_permalink(facebook):
    by_id = PostFactory(account=facebook, campaign__organization=facebook.organization,
                        platform_post_id=f"{FB_PAGE}_5001", status="scheduled")
    by_link = PostFactory(account=facebook, campaign__organization=facebook.organization, platform_post_id="",
                          permalink=f"https://www.facebook.com/{FB_PAGE}/videos/5002", status="scheduled")
    run_fixture(facebook, "meta_facebook.csv")
    by_id.refresh_from_db()
    by_link.refresh_from_db()
    assert by_id.snapshots.get().views == 12345 and by_id.status == "published"
    assert by_link.snapshots.get().views == 1204500 and by_link.platform_post_id == f"{FB_PAGE}_5002"
    assert Post.objects.filter(account=facebook).count() == 3


@pytest.mark.django_db
def test_importing_the_same_file_again_duplicates_nothing(facebook):
    first = run_fixture(facebook, "meta_facebook.csv")
    rows = list(PostMetricSnapshot.objects.values_list("post_id", "slot", "views").order_by("post_id"))
    second = run_fixture(facebook, "meta_facebook.csv")
    assert second.status == "done" and second.imported_rows == 3 and second.id != first.id
    assert list(PostMetricSnapshot.objects.values_list("post_id", "slot", "views").order_by("post_id")) == rows
    assert Post.objects.filter(account=facebook).count() == 3
    # The slot comes from the file (its newest post's day), not from the upload time.
    assert {slot for _p, slot, _v in rows} == {dt.datetime(2026, 9, 30, 23, 0, tzinfo=dt.UTC)}


def test_slot_is_the_later_of_the_period_end_and_the_newest_post():
    assert period_end_from_name("Sep-01-2026_Sep-30-2026_104857600000001.csv") == dt.date(2026, 9, 30)
    assert period_end_from_name("Table data.csv") is None
    moment = as_of(original_name="account_analytics_content_2026-09-01_2026-09-30.csv",
                   newest_post_day=dt.date(2026, 10, 2), fallback=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert moment == dt.datetime(2026, 10, 2, 23, 59, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_running_a_finished_import_again_is_a_no_op(facebook):
    imp = run_fixture(facebook, "meta_facebook.csv")
    PostMetricSnapshot.objects.all().delete()
    assert import_run(imp.id).status == "done"
    assert PostMetricSnapshot.objects.count() == 0
    assert import_run(999_999) is None


# --- broken files -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_rows_are_reported_with_their_physical_line_and_the_good_rows_imported(facebook):
    imp = run_fixture(facebook, "meta_facebook_broken.csv")
    assert imp.status == "done"
    errors = {e["line"]: e["reason"] for e in imp.row_errors}
    # Line 4 starts a caption spanning three physical lines, so the rows after it start two lines later.
    assert set(errors) == {3, 4, 7, 8, 9, 10}, errors
    assert "Views: '12abc' is not a number" in errors[3]
    assert errors[4] == ("Publish time: '2026-10-01' is not a date in a form this export uses "
                         "(for example 06/03/2026 14:05; 06/03/2026 14:05:09; 06/03/2026)")
    assert "same post" in errors[7] and "line 2" in errors[7]
    assert "999999999999999" in errors[8]
    assert "Post ID is empty" in errors[9]
    assert "Views: '-5' is negative" in errors[10] and "Reach: '12,5' is not a number" in errors[10]
    assert imp.imported_rows == 2
    snaps = snapshots_by_post_id(facebook)
    assert set(snaps) == {f"{FB_PAGE}_6001", f"{FB_PAGE}_6006"}
    assert snaps[f"{FB_PAGE}_6001"].views == 100  # the first of the duplicates wins


@pytest.mark.django_db
def test_wrong_delimiter_is_one_file_error_and_imports_nothing(facebook):
    imp = run_fixture(facebook, "meta_facebook_semicolon.csv")
    assert imp.status == "failed" and "separated by ';'" in imp.error
    assert imp.row_errors == [] and not PostMetricSnapshot.objects.exists() and not Post.objects.exists()


@pytest.mark.django_db
def test_missing_required_columns_name_what_is_expected(facebook):
    imp = run_fixture(facebook, "meta_facebook_missing_columns.csv")
    assert imp.status == "failed"
    assert "page id" in imp.error and "publish time" in imp.error
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_an_export_of_another_platform_is_refused(facebook):
    imp = run_fixture(facebook, "youtube_studio.csv")
    assert imp.status == "failed" and "YouTube Studio" in imp.error and "Facebook" in imp.error
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_bom_at_start_is_tolerated(org):
    account = AccountFactory(organization=org, platform="youtube", platform_id="UCx")
    data = (FIXTURES / "youtube_studio.csv").read_bytes()
    imp = run_bytes(account, "Table data.csv", b"\xef\xbb\xbf" + data)
    assert imp.status == "done" and imp.imported_rows == 3


@pytest.mark.django_db
def test_unquoted_line_break_in_a_caption_is_a_row_error(org):
    account = AccountFactory(organization=org, platform="youtube", platform_id="UCx")
    data = (b"Content,Video title,Video publish time,Views\n"
            b"abc,Broken\ntitle,\"Jan 6, 2024\",10\n"
            b"def,Fine,\"Jan 7, 2024\",20\n")
    imp = run_bytes(account, "Table data.csv", data)
    assert [e["line"] for e in imp.row_errors] == [2, 3]
    assert "unquoted line break" in imp.row_errors[0]["reason"]
    assert imp.imported_rows == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"PK\x03\x04rest-of-a-zip", "zip archive"),
    ("Content,Video title,Video publish time,Views\nabc,Caf\u00e9,\"Jan 6, 2024\",1\n".encode("latin-1"),
     "not UTF-8"),
])
def test_unreadable_files_fail_clearly(org, data, message):
    account = AccountFactory(organization=org, platform="youtube", platform_id="UCx")
    imp = run_bytes(account, "x.csv", data)
    assert imp.status == "failed" and message in imp.error
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_x_ids_mangled_by_a_spreadsheet_are_row_errors(org):
    account = AccountFactory(organization=org, platform="x", platform_id="1")
    data = b"Tweet id,time,impressions,likes\n1.79E+18,2026-09-18 12:00 +0000,10,1\n"
    imp = run_bytes(account, "t.csv", data)
    assert imp.imported_rows == 0 and "not an id" in imp.row_errors[0]["reason"]


@pytest.mark.django_db
def test_progress_is_recorded_in_batches(facebook):
    seen: list[tuple[int, int]] = []
    with open(FIXTURES / "meta_facebook.csv", "rb") as fh:
        imp = import_create(account=facebook, uploaded_file=File(fh, name="meta_facebook.csv"))
    import_run(imp.id, batch_rows=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 3), (3, 3)]


def test_utf16_exports_are_read():
    from metrics.imports.service import check_header

    data = "Content,Video publish time,Views\n".encode("utf-16")
    assert check_header(io.BytesIO(data), platform="youtube").key == "youtube_studio"


@pytest.mark.django_db
def test_a_file_gone_from_storage_fails_clearly(facebook):
    with open(FIXTURES / "meta_facebook.csv", "rb") as fh:
        imp = import_create(account=facebook, uploaded_file=File(fh, name="meta_facebook.csv"))
    imp.file.storage.delete(imp.file.name)
    imp = import_run(imp.id)
    assert imp.status == "failed" and "no longer on the server" in imp.error


# --- real files the platforms or a spreadsheet program produce (issue 13, item 10) -------------------


@pytest.fixture
def youtube(org):
    return AccountFactory(organization=org, platform="youtube", platform_id="UCtrendingTaiwanDemo00001")


@pytest.mark.django_db
def test_a_file_re_saved_by_a_spreadsheet_keeps_its_rows_but_refuses_the_id_it_destroyed(youtube):
    # Excel wrote the days back as 6-Jan-24, and took the id "-nightMkt01" for a formula: #NAME?.
    imp = run_fixture(youtube, "youtube_studio_resaved_by_excel.csv")
    assert imp.status == MetricImport.Status.DONE and imp.imported_rows == 3
    assert [e["line"] for e in imp.row_errors] == [4]
    reason = imp.row_errors[0]["reason"]
    assert "Content: '#NAME?' is not an id" in reason and "without re-saving it" in reason
    assert not Post.objects.filter(platform_post_id="#NAME?").exists()
    snaps = snapshots_by_post_id(youtube)
    assert snaps["tcHperfPair"].post.published_at == dt.datetime(2024, 1, 6, tzinfo=dt.UTC)
    # A net loss of subscribers is a real figure, not a reason to lose the video's views.
    night = snaps["nightMkt002"]
    assert night.post.published_at == dt.datetime(2026, 6, 3, tzinfo=dt.UTC)
    assert (night.views, night.extra["subscribers"]) == (48200, -2)


@pytest.mark.parametrize("damaged", ["#NAME?", "#VALUE!", "#REF!", "#N/A", "=A1&B1", "1.23457E+18", "1.8E+19"])
def test_every_kind_of_spreadsheet_damage_to_an_id_is_refused(damaged):
    from metrics.imports.cells import Row, RowError, post_id_of

    row = Row([damaged], {"post id": 0}, {"post id": "Post ID"})
    post_id_of(row, "post id")
    with pytest.raises(RowError, match="spreadsheet program changed it"):
        row.finish(None)


@pytest.mark.parametrize("real", ["-nightMkt01", "1790000000000008001", "104857600000001_1234", "E2E4aaaaaaa"])
def test_real_ids_are_not_taken_for_spreadsheet_damage(real):
    from metrics.imports.cells import spreadsheet_damage

    assert not spreadsheet_damage(real)


@pytest.mark.django_db
def test_when_every_row_fails_the_same_way_the_file_is_told_once(org):
    account = AccountFactory(organization=org, platform="x", platform_id="1300000000000000001")
    imp = run_fixture(account, "account_analytics_content_resaved_by_excel.csv")
    assert imp.status == MetricImport.Status.FAILED and imp.imported_rows == 0 and imp.row_errors == []
    assert imp.error.startswith("No row was imported: all 3 rows have the same problem. Line 2: Post id: '1.79E+18'")
    assert imp.error.count("1.79E+18") == 1
    assert not Post.objects.filter(account=account).exists()


@pytest.mark.django_db
def test_an_unreadable_date_names_the_forms_expected(youtube):
    data = (FIXTURES / "youtube_studio.csv").read_text().replace('"Jan 6, 2024"', "06.01.2024")
    imp = run_bytes(youtube, "Table data.csv", data.encode())
    assert imp.imported_rows == 2
    (error,) = imp.row_errors
    assert error["reason"] == ("Video publish time: '06.01.2024' is not a date in a form this export uses "
                               "(for example Jun 03, 2026; June 03, 2026; 2026-06-03; 03-Jun-26; 03-Jun-2026)")


@pytest.mark.django_db
def test_a_zh_tw_header_row_asks_for_an_export_with_english_headers(youtube):
    imp = run_fixture(youtube, "youtube_studio_zh_tw_headers.csv")
    assert imp.status == MetricImport.Status.FAILED
    assert imp.error == ("The column names of this file are not in English. Switch the platform's language to "
                         "English, export the file again and upload that.")


def test_an_import_creates_at_most_the_cap_of_new_posts_and_reports_the_rest(facebook, settings):
    settings.METRIC_IMPORT_MAX_NEW_POSTS = 5
    header, row = (FIXTURES / "meta_facebook.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    ids = [str(9001 + n) for n in range(12)]  # on lines 2..13
    data = "\n".join([header, *(row.replace("5001", i) for i in ids)]).encode()
    known = PostFactory(account=facebook, platform_post_id=f"{FB_PAGE}_9010", status="published")

    imp = import_run(import_create(account=facebook, uploaded_file=ContentFile(data, name="big.csv")).id,
                     batch_rows=4)

    assert imp.status == "done", imp.error
    new = Post.objects.filter(account=facebook).exclude(pk=known.pk)
    assert sorted(p.platform_post_id for p in new) == [f"{FB_PAGE}_{i}" for i in ids[:5]]
    assert set(snapshots_by_post_id(facebook)) == {f"{FB_PAGE}_{i}" for i in [*ids[:5], "9010"]}
    assert imp.imported_rows == 6
    (error,) = imp.row_errors
    assert error["line"] == 7 and "and 5 more (up to line 13)" in error["reason"]
    assert "at most 5 new posts" in error["reason"]
