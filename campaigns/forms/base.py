"""Building blocks of the planning forms: list fields, date widgets, Bootstrap styling, the model's rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from campaigns import validators

SPLIT_RE = re.compile(r"[\s,;]+")

_M = TypeVar("_M", bound=Model)

if TYPE_CHECKING:
    class _ModelFormBase(forms.BaseModelForm[Any]):
        # BaseModelForm's private hooks that ModelRulesMixin extends; django-stubs leaves them out.
        def _post_clean(self) -> None: ...
        def _update_errors(self, errors: ValidationError) -> None: ...

    _FormBase = forms.BaseForm
else:
    # At run time the mixins stand before the Django form class in the bases, so they derive from object.
    _ModelFormBase = object
    _FormBase = object


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, which the model makes a (multiple) model choice field."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])  # the stubs are generic, Django is not


def set_choice_label(field: forms.ModelChoiceField[_M], label: Callable[[_M], str]) -> None:
    """How the field names each choice, instead of the model's ``str()``."""
    # Django documents replacing label_from_instance on the field; the stubs know only the method (with self).
    field.label_from_instance = label  # type: ignore[method-assign, assignment]


class ListField(forms.CharField):
    """A JSON list entered as comma- or space-separated words."""

    def __init__(self, *, upper: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.upper = upper

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    # A CharField that cleans to a list, as Django's own list-valued fields do; the stubs want `str | None`.
    def to_python(self, value) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [item for item in SPLIT_RE.split(text) if item]
        if self.upper:
            items = [item.upper() for item in items]
        return list(dict.fromkeys(items))  # drop repeats, keep order


# The codes are checked by the model field's validator (campaigns.validators), through full_clean.
def country_list_field(label) -> ListField:
    return ListField(label=label, upper=True, help_text=_("Two-letter ISO codes, separated by commas"))


def language_list_field(label) -> ListField:
    return ListField(label=label, help_text=_("Language codes, separated by commas"))


def language_select(form: forms.ModelForm, name: str = "language") -> None:
    """Turn a model's language tag field into a list of languages named in the user's language."""
    field = cast(forms.CharField, form.fields[name])
    current = getattr(form.instance, name, "") or ""
    form.fields[name] = forms.ChoiceField(
        label=field.label, required=field.required, help_text=field.help_text,
        choices=[("", "—")] + validators.language_choices(current),
    )
    if validators.canonical_language_tag(current) in validators.LANGUAGE_TAGS:
        form.initial[name] = validators.canonical_language_tag(current)  # "zh-hant" typed long ago is zh-Hant


def https_link_field(db_field, **kwargs):
    """ModelForm formfield_callback: Django 6 assumes https for a link typed without a scheme; say so now."""
    if db_field.name == "link":
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoundedDateTimeField(forms.DateTimeField):
    """A date-time within years people plan for; far-away years would overflow time-zone arithmetic."""

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and not 1970 <= value.year <= 2200:
            raise forms.ValidationError(_("Choose a date between 1970 and 2200."), code="out_of_range")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-time picker; the value is read in the user's active time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BootstrapMixin(_FormBase):
    """Give every widget Bootstrap's classes so templates can loop over fields."""

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class ModelRulesMixin(_ModelFormBase):
    """For model forms: the model's own rules decide, and their errors land where the user can see them.

    ModelForm already runs the model's ``full_clean()`` (field validators and ``clean()``); this adds the
    model's ``clean_<field>(values)`` for many-to-many fields, which are set only after saving. A model
    error on a field the form shows under another name (``model_error_fields``) or not at all moves there
    or to the top of the form; a field that already failed in the form keeps only the form's error.
    """

    model_error_fields: dict[str, str] = {}

    def _post_clean(self) -> None:
        super()._post_clean()
        for field in self.instance._meta.many_to_many:
            check = getattr(self.instance, f"clean_{field.name}", None)
            if check and field.name in self.cleaned_data:
                try:
                    check(self.cleaned_data[field.name])
                except ValidationError as error:
                    self._update_errors(error)

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            moved: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                target = self.model_error_fields.get(name, name)
                if target not in self.fields:
                    target = NON_FIELD_ERRORS
                if target != NON_FIELD_ERRORS and target in self.errors:
                    continue
                moved.setdefault(target, []).extend(messages)
            if not moved:
                return
            errors = ValidationError(moved)
        super()._update_errors(errors)
