"""Content languages: chosen from CLDR's list, named in the user's language."""

def test_languages_are_offered_by_name_in_the_users_language():
    from django.utils import translation

    from campaigns.validators import language_choices

    with translation.override("zh-hant"):
        names = dict(language_choices())
    assert names["zh-Hant"].startswith("繁體中文") and names["en"].startswith("英文") and "tl" in names
    with translation.override("en"):
        names = dict(language_choices("zh-hant"))  # an older free-text tag stays choosable
    assert names["ar"] == "Arabic (ar)" and "zh-hant" in names
