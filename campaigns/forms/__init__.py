"""Forms of the planning pages, one module per page group. Rules live on the models (``clean()`` and
field validators), which ModelForm runs through ``full_clean``; forms parse input and narrow choices."""

from campaigns.forms.accounts import LIFETIMES, AccountForm, ApiTokenForm, ProfileForm
from campaigns.forms.amplification import AmplificationForm, NotableAccountForm
from campaigns.forms.base import (
    BootstrapMixin,
    BoundedDateTimeField,
    DateInput,
    DateTimeInput,
    ListField,
    ModelRulesMixin,
    country_list_field,
    language_list_field,
)
from campaigns.forms.calendar import CalendarFilterForm
from campaigns.forms.influencers import CollaborationForm, InfluencerFilterForm, InfluencerForm
from campaigns.forms.members import InvitationSignUpForm, InviteForm, RoleForm
from campaigns.forms.outcomes import EvidenceForm, ObjectiveForm
from campaigns.forms.planning import (
    AttachPostsForm,
    CampaignFilterForm,
    CampaignForm,
    EventForm,
    KPITargetForm,
    KPITargetFormSet,
    PostForm,
    RejectForm,
)
from campaigns.forms.series import MAX_POSTS, SeriesForm, parse_listed_dates

__all__ = [
    "AttachPostsForm",
    "AccountForm",
    "AmplificationForm",
    "ApiTokenForm",
    "BootstrapMixin",
    "BoundedDateTimeField",
    "CalendarFilterForm",
    "CampaignFilterForm",
    "CampaignForm",
    "CollaborationForm",
    "DateInput",
    "DateTimeInput",
    "EventForm",
    "EvidenceForm",
    "InfluencerFilterForm",
    "InfluencerForm",
    "InvitationSignUpForm",
    "InviteForm",
    "KPITargetForm",
    "KPITargetFormSet",
    "LIFETIMES",
    "ListField",
    "MAX_POSTS",
    "ModelRulesMixin",
    "NotableAccountForm",
    "ObjectiveForm",
    "PostForm",
    "ProfileForm",
    "RejectForm",
    "RoleForm",
    "SeriesForm",
    "country_list_field",
    "language_list_field",
    "parse_listed_dates",
]
