"""Template filters for numbers people read: {{ views|compact }}, {{ rate|pct }}, {{ delta|signed }},
and the labels of the metrics vocabulary: {% metric_label "interactions" %}, {% principle_label "format" %}."""

from django import template

from metrics.reporting import formatting

register = template.Library()


@register.filter
def compact(value):
    return formatting.compact(value)


@register.filter
def pct(value, digits=1):
    return formatting.percent(value, digits=int(digits))


@register.filter
def share_pct(value, digits=1):
    """A 0–1 share as a percentage."""
    return formatting.percent(None if value is None else 100 * value, digits=int(digits))


@register.filter
def signed(value):
    return formatting.change(value)


@register.filter
def bar_width(value):
    """A percentage clamped to 0–100 for a progress bar's width (a plain number, no locale comma)."""
    if value is None:
        return "0"
    return f"{max(0.0, min(100.0, float(value))):.1f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def metric_label(name):
    return formatting.metric_label(name)


@register.simple_tag
def principle_label(name):
    return formatting.principle_label(name)
