from campaigns.models import Membership, Notification


def memberships(request):
    """The signed-in user's organizations and roles, for the navigation and role-aware pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"memberships": [], "unread_notifications": 0}
    return {
        "memberships": list(Membership.objects.filter(user=user).select_related("organization")),
        # The bell's count, on every page.
        "unread_notifications": Notification.objects.filter(recipient=user).unread().count(),
    }
