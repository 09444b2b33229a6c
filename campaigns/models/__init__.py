"""Campaign planning: organizations, accounts, events, campaigns, series, posts, influencers.

Models enforce the rules of a single row (field validators and ``clean()``); forms and the API
reach them through ``full_clean``. Work across models lives in services.py.
"""

from campaigns.choices import Platform, PostFormat, Role, Trait
from campaigns.models.amplification import Amplification, NotableAccount
from campaigns.models.members import Invitation
from campaigns.models.notifications import Notification
from campaigns.models.organizations import Account, ApiToken, Influencer, Membership, Organization, Profile
from campaigns.models.outcomes import Evidence, Objective
from campaigns.models.planning import Campaign, Event, KPITarget, Series
from campaigns.models.posts import Collaboration, Post, PostTransition
from campaigns.validators import TIMEZONE_CHOICES, validate_timezone  # the migrations name it here

__all__ = [
    "TIMEZONE_CHOICES",
    "Account",
    "Amplification",
    "ApiToken",
    "Campaign",
    "Collaboration",
    "Event",
    "Evidence",
    "Influencer",
    "Invitation",
    "KPITarget",
    "Membership",
    "NotableAccount",
    "Notification",
    "Objective",
    "Organization",
    "Platform",
    "Post",
    "PostFormat",
    "PostTransition",
    "Profile",
    "Role",
    "Series",
    "Trait",
    "validate_timezone",
]
