"""Traditional Chinese first: every string of the product is marked, translated, and shown translated.

- Every text and visible attribute of every template is inside a translation tag.
- A fresh `makemessages` over the code finds no entry the zh-Hant catalog lacks, and none is fuzzy.
- The pages a user walks, in zh-Hant, show no English string the catalog translates (a string built in
  Python and never passed through gettext would show up here).
- The language chosen in the navbar is remembered on the user's profile, on every device.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.urls import reverse

from campaigns.models import Campaign, Post, Profile

ROOT = Path(settings.BASE_DIR)
CATALOG = ROOT / "config" / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"
# Names that are the same in every language.
UNTRANSLATED_WORDS = {"Softpower", "UTC", "CSV", "Excel", "PDF", "API", "KPI", "Facebook", "Instagram", "X", "YouTube"}
VISIBLE_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "aria-description"}


class _VisibleText(HTMLParser):
    """Text nodes and visible attributes, outside <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts.extend(value.strip() for name, value in attrs if name in VISIBLE_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


def unmarked_template_texts(source: str) -> list[str]:
    """Template text outside {% translate %} / {% blocktranslate %} that a reader would see."""
    pieces, inside_blocktranslate, inside_comment = [], 0, 0
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.token_type == TokenType.BLOCK and token.contents else ""
        if name in ("blocktranslate", "blocktrans"):
            inside_blocktranslate += 1
        elif name in ("endblocktranslate", "endblocktrans"):
            inside_blocktranslate -= 1
        elif name == "comment":  # {% comment %} … {% endcomment %}: a note for developers, never shown
            inside_comment += 1
        elif name == "endcomment":
            inside_comment -= 1
        if token.token_type == TokenType.TEXT and not inside_blocktranslate and not inside_comment:
            pieces.append(token.contents)
        else:
            pieces.append(" ")  # a tag or variable ends the text around it
    texts = visible_texts("".join(pieces))
    return [t for t in texts if re.search(r"[A-Za-z]{2}", t) and t not in UNTRANSLATED_WORDS]


def test_every_template_string_is_marked_for_translation():
    found = {}
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in (".html", ".txt") and (texts := unmarked_template_texts(path.read_text())):
            found[str(path.relative_to(ROOT))] = texts
    assert not found, f"wrap these in {{% translate %}}: {found}"


def test_the_checker_finds_an_unmarked_string():
    assert unmarked_template_texts('<p title="Open it">Hello {{ name }}</p>') == ["Open it", "Hello"]
    assert unmarked_template_texts('{% load i18n %}<p>{% translate "Hello" %}</p>') == []
    assert unmarked_template_texts("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}") == []
    assert unmarked_template_texts("{% comment %}A note{% endcomment %}<p>Shown</p>") == ["Shown"]


def _untranslated(catalog_path: Path) -> list[str]:
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not strings or not all(strings):
            problems.append(str(message.id))
    return problems


@pytest.mark.slow
def test_the_zh_hant_catalog_translates_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the code, merged into a copy of the catalog: nothing new, nothing fuzzy."""
    assert shutil.which("xgettext"), "gettext is installed by `make install`"
    for name in ("config", "campaigns", "metrics", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    env = {**os.environ, "DEBUG": "True", "SOFTPOWER_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "zh_Hant", "--no-obsolete", "-v0"],
                   cwd=tmp_path, env=env, check=True)
    missing = _untranslated(tmp_path / CATALOG.relative_to(ROOT))
    assert not missing, f"{len(missing)} strings lack a zh-Hant translation (or are fuzzy): {missing[:20]}"


def test_the_compiled_catalog_is_current():
    compiled = CATALOG.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= CATALOG.stat().st_mtime, "run `make install`"


# --- The pages, in Traditional Chinese ------------------------------------------------------------


def _english_msgids() -> set[str]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    return {
        message.id for message in catalog
        if isinstance(message.id, str) and message.string and message.string != message.id
        and len(message.id) > 3 and "%" not in message.id and "{" not in message.id
    }


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo")


@pytest.mark.slow
def test_the_pages_a_user_walks_show_no_english_in_zh_hant(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="manager"))
    campaign = Campaign.objects.filter(posts__status="published").distinct().first()
    post = Post.objects.filter(status="published", campaign=campaign).first()
    urls = [
        reverse("home"), reverse("campaign_list"), reverse("calendar"), reverse("org_overview"),
        reverse("campaign_detail", args=[campaign.pk]), reverse("campaign_dashboard", args=[campaign.pk]),
        reverse("post_detail", args=[post.pk]), reverse("methodology"), reverse("ingestion_health"),
        reverse("review_queue"), reverse("collaboration_board"), reverse("influencer_list"), reverse("profile"),
    ]
    # The switcher names each language in itself ("English" on a Chinese page), as every site does.
    english = _english_msgids() - {str(name) for name in ("English",)}
    leaks = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hant")
        assert response.status_code == 200, url
        assert response["Content-Language"] == "zh-hant"
        if shown := sorted({t for t in visible_texts(response.content.decode()) if t in english}):
            leaks[url] = shown
    assert not leaks, f"English shown in zh-Hant: {leaks}"


@pytest.mark.django_db
def test_the_language_chosen_in_the_navbar_follows_the_user(client, people):
    client.force_login(people.editor)
    page = client.get(reverse("home"))
    assert b'name="language" value="zh-hant"' in page.content  # the navbar offers the other language
    response = client.post(reverse("language_switch"), {"language": "zh-hant", "next": "/campaigns/"})
    assert response.status_code == 302 and response["Location"] == "/campaigns/"
    assert Profile.objects.get(user=people.editor).language == "zh-hant"

    elsewhere = type(client)()  # another device: no cookie, a browser asking for English
    elsewhere.force_login(people.editor)
    page = elsewhere.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "zh-hant"
    assert "首頁".encode() in page.content or "歡迎".encode() in page.content


@pytest.mark.django_db
def test_anonymous_pages_follow_the_browser(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-Hant,zh;q=0.9,en;q=0.5")
    assert page["Content-Language"] == "zh-hant"
    assert "登入".encode() in page.content
    assert client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US")["Content-Language"] == "en"
