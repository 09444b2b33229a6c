"""Content languages: chosen from CLDR's list, named in the user's language; codes shown as names."""

from django.template import Context, Template
from django.utils import translation

from campaigns.validators import canonical_language_tag, language_choices, language_name


def test_languages_are_offered_by_name_in_the_users_language():
    with translation.override("zh-hant"):
        names = dict(language_choices())
    assert names["zh-Hant"].startswith("繁體中文") and names["en"].startswith("英文") and "tl" in names
    with translation.override("en"):
        names = dict(language_choices("xx-foo"))  # an older free-text tag stays choosable
        assert names["ar"] == "Arabic (ar)" and "xx-foo" in names
        # One typed in another case is the listed tag, not a second entry.
        assert "zh-hant" not in dict(language_choices("zh-hant"))


def test_tags_in_any_case_are_named_in_the_ui_language():
    assert canonical_language_tag("zh-hant") == "zh-Hant" and canonical_language_tag("EN-gb") == "en-GB"
    with translation.override("zh-hant"):
        assert language_name("zh-hant") == language_name("zh-Hant") == "繁體中文"
        assert language_name("ar") == "阿拉伯文"
        assert language_name("xx-foo") == "xx-foo"  # unknown: the tag itself
    with translation.override("en"):
        assert language_name("zh-Hant") == "Traditional Chinese"


def test_templates_show_country_and_language_names_not_codes():
    page = Template("{% load codes %}{{ countries|country_names }} | {{ tags|language_names }} | "
                    "{{ 'KW'|country_name }} | {{ 'ja'|language_name }}")
    context = Context({"countries": ["TW", "US"], "tags": ["zh-hant", "en"]})
    with translation.override("zh-hant"):
        assert page.render(context) == "台灣、美國 | 繁體中文、英文 | 科威特 | 日文"
    with translation.override("en"):
        assert page.render(context) == "Taiwan, United States | Traditional Chinese, English | Kuwait | Japanese"


def test_time_zones_are_named_by_their_place():
    page = Template("{% load codes %}{{ 'Asia/Taipei'|zone_name }} | {{ 'America/New_York'|zone_name }} | "
                    "{{ 'UTC'|zone_name }}")
    with translation.override("zh-hant"):
        assert page.render(Context()) == "台灣時間 | 美國（紐約）時間 | UTC"
    with translation.override("en"):
        assert page.render(Context()) == "Taiwan Time | United States (New York) Time | UTC"


def test_time_zones_are_chosen_by_place_each_place_once():
    from campaigns.validators import timezone_choices

    with translation.override("zh-hant"):
        choices = timezone_choices()
    names = dict(choices)
    assert choices[0] == ("UTC", "UTC") and names["Asia/Taipei"] == "台灣時間"
    assert names["America/New_York"] == "美國（紐約）時間" and "US/Eastern" not in names  # an alias
    assert len(set(names.values())) == len(names)  # no two places share a name
    with translation.override("en"):
        assert dict(timezone_choices())["Asia/Kuwait"] == "Kuwait Time"
