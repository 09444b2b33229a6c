from campaigns.models import Membership


def memberships(request):
    """The signed-in user's organizations and roles, for the navigation and role-aware pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"memberships": []}
    return {"memberships": list(Membership.objects.filter(user=user).select_related("organization"))}
