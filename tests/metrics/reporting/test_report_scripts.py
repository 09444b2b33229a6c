"""Reports in every script the users write: Chinese titles come back out of the PDF as typed, Arabic is
shaped and reads in logical order, and a person can look at the pages (PNG under var/test/screenshots/)."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.metrics.dashboard_data import build_campaign

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test" / "screenshots"
CHINESE_TITLE = "國慶日 SDG 特輯"
ARABIC_TITLE = "مرحبا بالعالم من تايوان"


def _flat(text: str) -> str:
    # pdftotext gives Arabic presentation forms (the shaped glyphs); NFKC maps them back to letters.
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_pdf_prints_chinese_and_arabic_as_typed(client, people, org, language, tmp_path):
    campaign = build_campaign(org, n_posts=2, name=CHINESE_TITLE)
    first = campaign.posts.order_by("pk").first()
    first.title = ARABIC_TITLE
    first.save()
    client.force_login(people.viewer)

    response = client.get(reverse("campaign_report", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = _flat(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    assert _flat(CHINESE_TITLE) in text  # not "□□□ SDG □□": the CJK font is embedded
    assert _flat(ARABIC_TITLE) in text  # shaped, and in logical order once read back
    if language == "zh-hant":
        assert "宣傳活動報告" in text and "熱門貼文" in text  # the report's own words, in Chinese glyphs
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / f"report-{language}")], check=True)
