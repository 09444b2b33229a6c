import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.metrics.dashboard_data import build_campaign


@pytest.mark.django_db
def test_pdf_report_has_cover_kpis_top_posts_geography_and_scores(client, people, org):
    campaign = build_campaign(org, n_posts=4, name="Health for all: Taiwan can help")
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_report", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 4
    cover = reader.pages[0].extract_text()
    assert "Health for all: Taiwan can help" in cover and "Department of Information Services" in cover
    assert "60 K" in cover  # 4 posts × 10 K + the influencer's 20 K
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Targets", "Projected to miss", "Top posts", "Audience geography",
                     "One tenth of viewers were in Vietnam", "Influencer contribution", "Four-principle scores",
                     "Weakest principle: Interactivity", "An SDG a Day (Arabic)"):
        assert expected in text, expected
    assert reader.metadata.title == "Health for all: Taiwan can help"


@pytest.mark.django_db
def test_pdf_report_of_an_empty_campaign(client, people, org):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(organization=org, name="Not started")
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_report", args=[campaign.pk]))
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "No audience geography has been reported" in text and "has been scored yet" in text
