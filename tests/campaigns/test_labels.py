"""Forms label relation fields with the model's verbose_name: without one, Django shows the field's English name
("Organization", "Account", "Series") on every zh-Hant form."""

import re

from django.apps import apps
from django.utils import translation


def test_every_relation_of_the_planning_models_is_labelled_in_chinese():
    with translation.override("zh-hant"):
        english = [
            f"{model.__name__}.{field.name}: {field.verbose_name}"
            for model in apps.get_app_config("campaigns").get_models()
            if not model.__name__.startswith("Historical")
            for field in model._meta.get_fields()
            if field.is_relation and not field.auto_created and re.search(r"[A-Za-z]{2}", str(field.verbose_name))
        ]
    assert english == []
