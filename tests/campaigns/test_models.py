import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from campaigns.models import Account
from tests.factories import AccountFactory, CampaignFactory, PostFactory


@pytest.mark.django_db
def test_access_token_is_encrypted_at_rest():
    account = AccountFactory()
    account.set_access_token("EAAB-secret-page-token")
    account.save()
    stored = Account.objects.get(pk=account.pk)
    assert "EAAB-secret" not in stored.access_token_encrypted
    assert stored.get_access_token() == "EAAB-secret-page-token"


@pytest.mark.django_db
def test_campaign_cannot_end_before_it_starts():
    campaign = CampaignFactory.build()
    campaign.organization.save()
    campaign.end_date = campaign.start_date.replace(year=campaign.start_date.year - 1)
    with pytest.raises(IntegrityError):
        campaign.save()


@pytest.mark.django_db
def test_x_post_over_280_characters_is_refused():
    post = PostFactory(account__platform="x")
    post.account.platform = "x"
    post.body = "a" * 281
    with pytest.raises(ValidationError) as excinfo:
        post.full_clean()
    assert "280" in str(excinfo.value)
