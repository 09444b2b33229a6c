"""The approvers' review queue: posts waiting in review, oldest first, approved or rejected inline."""

from __future__ import annotations

from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views.decorators.http import require_safe

from campaigns import access
from campaigns.forms import RejectForm
from campaigns.models import Post
from campaigns.views.common import needs


@require_safe
@needs(None)
def review_queue(request):
    review_orgs = access.organization_ids_where(request.user, "review")
    posts = (
        Post.objects.filter(account__organization_id__in=review_orgs, status=Post.Status.IN_REVIEW)
        .select_related("account", "account__organization", "campaign", "created_by")
        .annotate(
            submitted_at=Coalesce(
                Max("transitions__at", filter=Q(transitions__to_status=Post.Status.IN_REVIEW)), "updated_at"
            )
        )
        .order_by("submitted_at", "id")
    )
    return render(request, "campaigns/review_queue.html", {
        "posts": posts,
        "reviews_somewhere": bool(review_orgs),
        "reject_form": RejectForm(),
    })
