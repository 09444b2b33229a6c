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


# Markup a person could type into a name, an objective or a title; ReportLab would read it as its own.
LINK = '<a href="https://evil.example/login">Click to verify</a>'
HOSTILE = {
    "campaign name": LINK,
    "organization name": '<img src=x onerror=alert(1)> Ministry',
    "objective": 'Reach <font color="white" size="1">hidden</font> & "quoted"\nsecond line <b>bold',
    "post title": '<link href="https://evil.example/x">Read more</link> & more',
    "post body (no title)": '<img src="/etc/passwd"/> body & <br/> text',
}


def _flat(text: str) -> str:
    # The PDF wraps long lines; compare without whitespace.
    return "".join(text.split())


def _uris(reader: PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A") or {}
            found.append(str(action.get("/URI", "")))
    return found


@pytest.mark.django_db
def test_pdf_prints_what_people_typed_as_text_never_as_markup(client, people, org):
    org.name = HOSTILE["organization name"]
    org.save()
    campaign = build_campaign(org, n_posts=2, name=HOSTILE["campaign name"])
    campaign.objective = HOSTILE["objective"]
    campaign.save()
    first, second = campaign.posts.order_by("pk")[:2]
    first.title = HOSTILE["post title"]
    first.save()
    second.title, second.body = "", HOSTILE["post body (no title)"]
    second.save()
    client.force_login(people.viewer)

    response = client.get(reverse("campaign_report", args=[campaign.pk]))

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    missing = [field for field, value in HOSTILE.items() if _flat(value) not in text]
    assert not missing, f"not printed as typed: {missing}"
    assert not [uri for uri in _uris(reader) if "evil.example" in uri]
    assert reader.metadata.title == HOSTILE["campaign name"]
