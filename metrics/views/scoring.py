"""Scoring pages: the methodology, a post's scores, a campaign's scores, an organization's weights.

Thin: `needs` (campaigns.views.common) scopes the object (another organization's → 404) and each view asks
metrics.scoring_service; the plain-words explanation is translated here from the stored templates.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import access, validators
from campaigns.models import Campaign, Organization, Post, PostFormat, Trait
from campaigns.views.common import needs
from metrics import scoring
from metrics.scoring import service as scoring_service
from metrics.scoring.forms import ScoreWeightsForm

# --- Explanations in plain words -------------------------------------------------------------
CODE_LABELS = {**dict(PostFormat.choices), **dict(Trait.choices)}


def _code_label(code: str) -> str:
    if code in scoring.COMPONENTS_BY_KEY:
        label = gettext(scoring.COMPONENTS_BY_KEY[code].label)
    else:
        label = str(CODE_LABELS.get(code, code.replace("_", " ")))
    return label[:1].lower() + label[1:]  # shown mid-sentence: "declared: behind the scenes"


def _translate_param(value: Any) -> Any:
    # Lists hold codes (traits, formats, devices): shown by their labels.
    if isinstance(value, list):
        return ", ".join(_code_label(str(v)) for v in value)
    # Band names and the like are msgids; event names are not and come back unchanged.
    # gettext("") would return the catalogue header, so empty strings are left alone.
    return gettext(value) if isinstance(value, str) and value else value


# Parameters that hold codes: shown by their names in the reader's language ("Asia/Taipei" → 台灣時間).
NAMED_PARAMS = {
    "zone": validators.zone_name,
    "language": validators.language_name,
    "wanted": lambda tags: ("、" if (get_language() or "").startswith("zh") else ", ").join(
        validators.language_name(t.strip()) for t in str(tags).split(",") if t.strip()),
}


def reason_text(reason: dict) -> str:
    template = gettext(reason.get("template") or "")
    params = {k: NAMED_PARAMS[k](v) if k in NAMED_PARAMS and isinstance(v, str) and v else _translate_param(v)
              for k, v in (reason.get("params") or {}).items()}
    try:
        return template % params if params else template
    except (KeyError, ValueError, TypeError):
        return reason.get("text", "")


def explanation_for_display(explanation: dict) -> dict:
    """The stored explanation with every label and reason translated and the points rounded."""
    principles = []
    for p in explanation.get("principles", []):
        components = []
        for c in p.get("components", []):
            spec = scoring.COMPONENTS_BY_KEY.get(c["key"])
            components.append({
                "key": c["key"],
                "label": gettext(spec.label) if spec else c.get("label", c["key"]),
                "available": c.get("available", False),
                "value": c.get("value"),
                "weight_pct": round(100 * c.get("weight", 0)),
                "effective_pct": round(100 * c.get("effective_weight", 0)),
                "points": None if c.get("contribution") is None else round(c["contribution"]),
                "reason": reason_text(c.get("reason", {})),
            })
        principles.append({
            "key": p["key"], "label": gettext(scoring.PRINCIPLE_LABELS.get(p["key"], p["key"])),
            "score": p.get("score"), "components": components,
            "weight_pct": round(100 * explanation.get("effective_weights", {}).get(p["key"], 0)),
        })
    baseline = explanation.get("baseline", {})
    return {
        "principles": principles,
        "overall": explanation.get("overall"),
        "baseline_note": reason_text(baseline.get("note", {})) if baseline else "",
        "baseline_source": baseline.get("source"),
        "denominator": baseline.get("denominator"),
        "notes": [reason_text(n) for n in explanation.get("notes", [])],
        "method_version": explanation.get("method_version"),
    }


# --- Methodology -----------------------------------------------------------------------------
@needs(None)
def methodology(request):
    method = scoring.methodology()
    principles = []
    for p in method["principles"]:
        principles.append({
            "key": p["key"], "label": gettext(p["label"]), "default_weight": p["default_weight"],
            "components": [{"key": c.key, "label": gettext(c.label), "weight_pct": round(100 * c.weight),
                            "formula": gettext(c.formula)} for c in p["components"]],
        })
    traits, formats = dict(Trait.choices), dict(PostFormat.choices)  # labels beside the codes
    context = {
        "method": method,
        "principles": principles,
        "traits": [(k, traits.get(k, k), v) for k, v in method["trait_points"].items()],
        "newer_formats": [(k, formats.get(k, k), v) for k, v in method["newer_format_points"].items()],
        "devices": [(k, traits.get(k) or formats.get(k, k), v) for k, v in method["device_points"].items()],
        "active_hours": [(start, end, score, gettext(label)) for start, end, score, label in method["active_hours"]],
        "rare_share_pct": round(100 * scoring.RARE_SHARE),
        "tolerance_share_pct": round(100 * scoring.AGE_TOLERANCE_SHARE),
        "platform_defaults": [
            (platform, round(100 * d.interaction_rate, 2), round(100 * d.first_day_share), d.conversation_depth)
            for platform, d in method["platform_defaults"].items()
        ],
        "fallback": scoring.FALLBACK_DEFAULTS,
        "fallback_rate_pct": round(100 * scoring.FALLBACK_DEFAULTS.interaction_rate, 2),
        "fallback_share_pct": round(100 * scoring.FALLBACK_DEFAULTS.first_day_share),
        "country_rows": [
            (code, method["country_timezones"].get(code, "—"), ", ".join(method["country_languages"].get(code, ())))
            for code in sorted(set(method["country_timezones"]) | set(method["country_languages"]))
        ],
    }
    # Admins find their organizations' weights pages from here.
    context["weight_organizations"] = Organization.objects.filter(
        id__in=access.organization_ids_where(request.user, "manage"))
    return render(request, "metrics/methodology.html", context)


# --- A post's scores (htmx fragment inside the post page) ------------------------------------
@needs(None, model=Post.objects.select_related("account"), path="account__organization")
def post_scores(request, post: Post):
    stored = scoring_service.post_score_get(post_id=post.pk)
    explanation, computed_at, live = None, None, False
    if stored is not None:
        explanation, computed_at = stored.explanation, stored.computed_at
    elif post.published_at is not None:
        # Not stored yet (the rescoring task has not run): show it computed now, and say so.
        result = scoring_service.post_score_compute(post_id=post.pk)
        explanation, live = (result.as_dict() if result else None), True
    context = {
        "post": post,
        "score": explanation_for_display(explanation) if explanation else None,
        "computed_at": computed_at,
        "live": live,
    }
    return render(request, "metrics/scores_post.html", context)


# --- A campaign's scores (htmx fragment) -----------------------------------------------------
@needs(None, model=Campaign)
def campaign_scores(request, campaign: Campaign):
    summary = scoring_service.campaign_score_summary(campaign_id=campaign.pk)
    top = max((count for _label, count in summary.distribution), default=0)
    context = {
        "campaign": campaign,
        "summary": summary,
        "averages": [
            {"key": key, "label": gettext(scoring.PRINCIPLE_LABELS[key]), "value": summary.averages.get(key)}
            for key in scoring.PRINCIPLES
        ],
        "overall": summary.averages.get("overall"),
        "distribution": [(label, count, round(100 * count / top) if top else 0)
                         for label, count in summary.distribution],
        "weakest_label": gettext(scoring.PRINCIPLE_LABELS[summary.weakest]) if summary.weakest else None,
        "strongest_label": gettext(scoring.PRINCIPLE_LABELS[summary.strongest]) if summary.strongest else None,
    }
    return render(request, "metrics/scores_campaign.html", context)


# --- An organization's weights ---------------------------------------------------------------
# The URL's pk is an organization of the user's; only its admins see or change its weights.
admins_only = needs(
    "manage", model=Organization, path="id",
    denied=gettext_lazy("Only the organization's admins change its score weights."),
)


@admins_only
@require_http_methods(["GET", "POST"])
def score_weights(request, organization: Organization):
    current = scoring_service.weights_for(organization_id=organization.pk)
    if request.method == "POST":
        form = ScoreWeightsForm(request.POST)
        if form.is_valid():
            scoring_service.weights_save(organization_id=organization.pk, weights=form.weights(), by=request.user)
            messages.success(request, gettext("Score weights saved; overall scores were recomputed."))
            return redirect("score_weights", pk=organization.pk)
    else:
        form = ScoreWeightsForm(initial={p: round(v) for p, v in current.as_dict().items()})
    return render(request, "metrics/score_weights.html", {
        "organization": organization, "form": form, "current": current.as_dict(),
        "preview_posts": scoring_service.PREVIEW_POSTS,
    })


@admins_only
@require_POST
def score_weights_preview(request, organization: Organization):
    form = ScoreWeightsForm(request.POST)
    preview = None
    if form.is_valid():
        preview = scoring_service.weights_preview(organization_id=organization.pk, weights=form.weights())
    delta = None
    # Both averages are None together (no scored post), or neither.
    if preview and preview.average_before is not None and preview.average_after is not None:
        delta = preview.average_after - preview.average_before
    shares = []
    if form.is_valid():
        total = sum(form.cleaned_data[p] for p in scoring.PRINCIPLES)
        shares = [(gettext(scoring.PRINCIPLE_LABELS[p]), round(100 * form.cleaned_data[p] / total))
                  for p in scoring.PRINCIPLES]
    return render(request, "metrics/score_weights_preview.html", {
        "organization": organization, "form": form, "preview": preview, "delta": delta, "shares": shares,
    })
