"""The upload page, the import page's progress fragment, and `manage.py import_metrics`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from metrics.imports.service import import_create
from metrics.models import MetricImport, PostMetricSnapshot
from tests.factories import AccountFactory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"
FB_PAGE = "104857600000001"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def facebook(org):
    return AccountFactory(organization=org, platform="facebook", platform_id=FB_PAGE, handle="mofa")


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.django_db
def test_editor_uploads_an_export_and_it_is_imported_after_commit(client, people, facebook, jobs_inline,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(people.editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("metric_import"),
                               {"account": facebook.pk, "file": upload("meta_facebook_broken.csv")})
    # The upload's run_import, then the roll-up and the rescore the import itself enqueues.
    assert len(callbacks) == 3
    assert [name for name, _ in jobs_inline] == ["metrics.run_import", "metrics.rollup_posts", "metrics.rescore_posts"]
    imp = MetricImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("metric_import_detail", args=[imp.pk])
    imp.refresh_from_db()
    assert imp.status == "done" and imp.uploaded_by == people.editor and imp.original_name == "meta_facebook_broken.csv"
    assert PostMetricSnapshot.objects.filter(post__account=facebook).count() == 2
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Views: &#x27;12abc&#x27; is not a number" in html and "6 rows could not be imported" in html
    assert "hx-trigger" not in html  # finished: the fragment stops polling
    listing = client.get(reverse("metric_import")).content.decode()
    assert "meta_facebook_broken.csv" in listing


@pytest.mark.django_db
def test_viewer_cannot_upload(client, people, facebook):
    client.force_login(people.viewer)
    page = client.get(reverse("metric_import"))
    assert page.status_code == 200 and 'type="file"' not in page.content.decode()
    response = client.post(reverse("metric_import"), {"account": facebook.pk, "file": upload("meta_facebook.csv")})
    assert response.status_code == 403
    assert not MetricImport.objects.exists()


@pytest.mark.django_db
def test_outsider_gets_404_for_another_organizations_account_and_imports(client, people, facebook):
    theirs = import_create(account=facebook, uploaded_file=ContentFile(b"x", name="a.csv"))
    client.force_login(people.outsider)
    response = client.post(reverse("metric_import"), {"account": facebook.pk, "file": upload("meta_facebook.csv")})
    assert response.status_code == 404
    assert client.get(reverse("metric_import"), {"account": facebook.pk}).status_code == 404
    assert client.get(reverse("metric_import_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("metric_import_progress", args=[theirs.pk])).status_code == 404
    assert MetricImport.objects.count() == 1
    assert "a.csv" not in client.get(reverse("metric_import")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), [
    ("export.xlsx", b"PK\x03\x04", "Upload the export as a .csv file."),
    ("export.csv", b"", "The file is empty."),
    ("export.csv", b"\x00\x01\x02binary", "This is not a CSV text file."),
    ("export.csv", None, "separated by &#x27;;&#x27;"),
    ("Table data.csv", None, "but the account is on Facebook"),
    ("export.csv", b"Post,When\n1,2\n", "not those of a known export"),
])
def test_bad_uploads_are_form_errors(client, people, facebook, name, content, message):
    if content is None:
        source = "meta_facebook_semicolon.csv" if name == "export.csv" else "youtube_studio.csv"
        content = (FIXTURES / source).read_bytes()
    client.force_login(people.editor)
    response = client.post(reverse("metric_import"), {"account": facebook.pk, "file": upload(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MetricImport.objects.exists()


@pytest.mark.django_db
def test_too_large_upload_is_a_form_error(client, people, facebook, settings):
    settings.METRIC_IMPORT_MAX_BYTES = 100
    client.force_login(people.editor)
    response = client.post(reverse("metric_import"), {"account": facebook.pk, "file": upload("meta_facebook.csv")})
    assert response.status_code == 400 and "The file is too large" in response.content.decode()


@pytest.mark.django_db
def test_progress_fragment_polls_while_running_and_lists_the_first_200_errors(client, people, facebook):
    imp = import_create(account=facebook, uploaded_file=ContentFile(b"x", name="big.csv"))
    MetricImport.objects.filter(pk=imp.pk).update(status="running", total_rows=100_000, processed_rows=25_000)
    client.force_login(people.viewer)  # reading progress needs only "read"
    url = reverse("metric_import_progress", args=[imp.pk])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html and f'hx-get="{url}"' in html
    assert 'aria-valuenow="25"' in html and "25000 of 100000 rows read" in html

    errors = [{"line": n, "reason": f"reason {n}"} for n in range(2, 252)]
    MetricImport.objects.filter(pk=imp.pk).update(status="done", processed_rows=100_000, row_errors=errors)
    html = client.get(url).content.decode()
    assert "hx-trigger" not in html
    assert "reason 201" in html and "reason 202" not in html
    assert "250 rows could not be imported" in html and "and 50 more" in html


@pytest.mark.django_db
def test_command_prints_every_bad_row_with_its_line(facebook):
    out = io.StringIO()
    call_command("import_metrics", str(FIXTURES / "meta_facebook_broken.csv"), "--account", str(facebook.pk),
                 "--no-progress", stdout=out)
    text = out.getvalue()
    assert "8 rows read, 2 imported, 6 bad" in text
    assert "  line 3: Views: '12abc' is not a number" in text
    assert "  line 7: The same post" in text
    assert text.count("  line ") == 6


@pytest.mark.django_db
def test_command_fails_clearly_for_a_file_it_cannot_import(facebook):
    with pytest.raises(CommandError, match="separated by ';'"):
        call_command("import_metrics", str(FIXTURES / "meta_facebook_semicolon.csv"), "--account",
                     str(facebook.pk), "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No account"):
        call_command("import_metrics", str(FIXTURES / "meta_facebook.csv"), "--account", "99999")


@pytest.mark.django_db
def test_large_uploads_spooled_to_disk_are_checked_and_stored_too(client, people, facebook, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload becomes a temporary file, as a big export does
    client.force_login(people.editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("metric_import"), {"account": facebook.pk, "file": upload("meta_facebook.csv")})
    assert response.status_code == 302 and len(callbacks) == 1
    imp = MetricImport.objects.get()
    assert imp.status == "pending"
    with imp.file.open("rb") as fh:
        assert fh.read() == (FIXTURES / "meta_facebook.csv").read_bytes()
