"""Brute-force protection on the login form (django-axes): lock-out, its page, and the two ways to unlock."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

ATTACKER = "203.0.113.7"


def attempt(client, username: str, password: str, address: str = ATTACKER):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


@pytest.mark.django_db
def test_fifty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, people):
    codes = [attempt(client, "erin_editor", f"guess-{n}").status_code for n in range(50)]
    # The fifth failure locks; every try after it is refused without checking the password.
    assert codes == [200] * 4 + [429] * 46

    refused = attempt(client, "erin_editor", DEFAULT_PASSWORD)
    assert refused.status_code == 429 and refused["Retry-After"] == str(15 * 60)
    page = refused.content.decode()
    assert "Too many failed log-in attempts." in page
    assert "After 5 wrong passwords, this account cannot log in from your address for 15 minutes." in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_is_for_that_username_from_that_address_only(client, people):
    for n in range(5):
        attempt(client, "erin_editor", f"guess-{n}")
    assert attempt(client, "erin_editor", DEFAULT_PASSWORD).status_code == 429
    # A colleague in the same office, and the same person from elsewhere, still log in.
    assert logged_in(attempt(client, "vera_viewer", DEFAULT_PASSWORD))
    client.logout()
    assert logged_in(attempt(client, "erin_editor", DEFAULT_PASSWORD, address="198.51.100.20"))


@pytest.mark.django_db
def test_a_success_before_the_limit_clears_the_count(client, people):
    for n in range(4):
        attempt(client, "erin_editor", f"guess-{n}")
    assert logged_in(attempt(client, "erin_editor", DEFAULT_PASSWORD))
    client.logout()
    assert [attempt(client, "erin_editor", f"again-{n}").status_code for n in range(5)] == [200] * 4 + [429]


@pytest.mark.django_db
def test_the_limit_and_lock_time_come_from_settings(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert [attempt(client, "erin_editor", f"guess-{n}").status_code for n in range(3)] == [200, 429, 429]


@pytest.mark.django_db
def test_the_command_unlocks(client, people):
    for n in range(5):
        attempt(client, "erin_editor", f"guess-{n}")
    call_command("axes_reset_username", "erin_editor", stdout=None)
    assert logged_in(attempt(client, "erin_editor", DEFAULT_PASSWORD))


@pytest.mark.django_db
def test_an_admin_unlocks_by_deleting_the_access_attempt(client, admin_client, people):
    for n in range(5):
        attempt(client, "erin_editor", f"guess-{n}")
    lock = AccessAttempt.objects.get(username="erin_editor", ip_address=ATTACKER)
    assert admin_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[lock.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert logged_in(attempt(client, "erin_editor", DEFAULT_PASSWORD))


@pytest.mark.django_db
def test_the_admin_login_is_protected_too(client, people):
    url = reverse("admin:login")
    for n in range(5):
        client.post(url, {"username": "alice_admin", "password": f"guess-{n}"}, REMOTE_ADDR=ATTACKER)
    response = client.post(url, {"username": "alice_admin", "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
