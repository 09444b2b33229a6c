"""The post page, the post editor (with platform limits and a live counter), workflow steps, history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns import access, limits, services
from campaigns.forms import PostForm, RejectForm
from campaigns.models import Campaign, Post, Trait
from campaigns.views.common import history_entries, is_htmx, needs

# Content that went through review is frozen: an approver sends it back to draft to change it.
EDITABLE_STATUSES = {Post.Status.IDEA, Post.Status.DRAFT}

POSTS = Post.objects.select_related("account", "account__organization", "campaign", "series", "event", "variant_of")


@require_safe
@needs(None, model=POSTS, path="account__organization")
def post_detail(request, post):
    return render(request, "campaigns/post_detail.html", {
        "post": post,
        "actions": services.post_available_actions(post=post, user=request.user),
        "transitions": post.transitions.select_related("by"),
        "variants": post.variants.select_related("account"),
        "reject_form": RejectForm(),
        "traits": [Trait(t).label for t in post.traits or [] if t in Trait.values],
        "amplifications": post.amplifications.select_related("notable"),
        "can_plan": access.can(request.user, "plan", post.account.organization_id),
        "can_edit": post.status in EDITABLE_STATUSES
        and post.campaign_id is not None
        and access.can(request.user, "plan", post.account.organization_id),
    })


def _editor(request, *, campaign: Campaign, post: Post | None):
    form = PostForm(request.POST or None, instance=post, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.pk is None:
            saved.created_by = request.user
            saved.status = Post.Status.DRAFT
        saved.save()
        messages.success(request, _("Post saved."))
        return redirect("post_detail", saved.pk)
    # Errors (platform limits included) are shown on the fields; the bound form keeps every input.
    return render(request, "campaigns/post_form.html", {
        "form": form,
        "post": post,
        "campaign": campaign,
        "counters": {name: {"field": field, "limit": limit} for name, (field, limit) in limits.COUNTERS.items()},
        "account_platforms": form.account_platforms(),
        "hashtag_limit": limits.INSTAGRAM_MAX_HASHTAGS,
    })


@needs("plan", model=Campaign.objects.select_related("organization"))
def post_create(request, campaign):
    return _editor(request, campaign=campaign, post=None)


@needs("plan", model=POSTS, path="account__organization")
def post_edit(request, post):
    if post.campaign is None:
        messages.error(request, _("This post was found on the account and was never planned; it cannot be edited."))
        return redirect("post_detail", post.pk)
    if post.status not in EDITABLE_STATUSES:
        messages.error(request, _("A post that is “%(status)s” cannot be edited; an approver can reject it back "
                                  "to draft first.") % {"status": post.get_status_display()})
        return redirect("post_detail", post.pk)
    return _editor(request, campaign=post.campaign, post=post)


@require_POST
@needs(("plan", "review"), model=POSTS, path="account__organization")
def post_transition(request, post):
    """One workflow step; errors come back as messages (or in the htmx row), never as a 500."""
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    permalink = request.POST.get("permalink", "").strip()
    error = ""
    try:
        if permalink:
            URLValidator(schemes=["https", "http"])(permalink)
        post = services.post_transition(
            post=post, action=action, by=request.user, comment=comment, permalink=permalink
        )
    except services.TransitionError as exc:
        error = " ".join(exc.messages)
    except ValidationError:
        error = _("The permalink is not a valid web address.")
    except PermissionDenied as exc:
        error = str(exc) or _("Your role does not allow this step.")
    if is_htmx(request) and request.POST.get("from") == "review":
        return render(request, "campaigns/review_row.html", {
            "post": post, "error": error, "done": not error, "reject_form": RejectForm(),
        })
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The post is now “%(status)s”.") % {"status": post.get_status_display()})
    target = request.POST.get("next", "")
    if target == "review":
        return redirect("review_queue")
    return redirect("post_detail", post.pk)


@require_safe
@needs(None, model=POSTS, path="account__organization")
def post_history(request, post):
    return render(request, "campaigns/history.html", {
        "object": post,
        "entries": history_entries(post),
        "back_url": reverse("post_detail", args=[post.pk]),
    })
