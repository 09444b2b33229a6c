"""The SandboxFault admin as a knob panel: a fault added there changes what the sandbox answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from metrics.sandbox.models import SandboxFault

pytestmark = pytest.mark.django_db

X_USER = "1300000000000000001"


def _add(admin_client, **overrides):
    data = {"platform": "x", "account_platform_id": X_USER, "kind": "rate_limit", "remaining": "2",
            "delay_seconds": "0", "options": '{"style": "v1"}', "enabled": "on"}
    data.update(overrides)
    return admin_client.post(reverse("admin:metrics_sandboxfault_add"), data)


def test_a_fault_added_in_the_admin_takes_effect_and_counts_down(admin_client, xapi):
    r = _add(admin_client)
    assert r.status_code == 302, r.content[:2000]
    assert [xapi(f"2/users/{X_USER}").status_code for _ in range(3)] == [429, 429, 200]
    listing = admin_client.get(reverse("admin:metrics_sandboxfault_changelist"))
    assert listing.status_code == 200
    assert b"MOFA_Taiwan_demo" in listing.content  # the account's handle is shown
    assert SandboxFault.objects.get().remaining == 0


@pytest.mark.parametrize("overrides", [
    {"platform": "facebook", "options": '{"code": 99}'},
    {"options": '{"style": "xml"}'},
    {"kind": "slow", "delay_seconds": "0"},
    {"kind": "server_error", "options": '{"status": 404}'},
    {"platform": "myspace"},
])
def test_bad_knob_settings_are_refused_with_a_message(admin_client, overrides):
    r = _add(admin_client, **overrides)
    assert r.status_code == 200  # the form again, with errors
    assert b"errorlist" in r.content
    assert not SandboxFault.objects.exists()


def test_disable_action(admin_client, xapi):
    _add(admin_client, remaining="")
    fault = SandboxFault.objects.get()
    admin_client.post(reverse("admin:metrics_sandboxfault_changelist"),
                      {"action": "disable_faults", "_selected_action": [fault.pk]})
    assert xapi(f"2/users/{X_USER}").status_code == 200
