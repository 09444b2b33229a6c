"""Schemathesis against the live schema, with an editor's token: generated requests, valid and
invalid, for every operation; no 5xx, and every response as the schema documents it.

Runs in `make test` (it is part of CI). Valid (positive) data only: Schemathesis' negative mode
rejects most of what it draws and would cost minutes here; hostile input (NUL bytes, surrogates,
wrong types, huge numbers) is sent to every write endpoint by test_hostile_input.py instead.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from campaigns import tokens
from tests.campaigns.api.factories import MAKERS
from tests.factories import AccountFactory, CampaignFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Per strategy; detail operations get two (random ids, a real object): ~1,100 requests, about a minute.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
REAL_ID_FIELDS = ("organization", "campaign", "account", "influencer", "event", "series", "variant_of")


@pytest.fixture
def org_objects(org, people):
    """One object of each kind in the editor's organization, so generated requests reach past a 404."""
    objects = {model: MAKERS[model](org) for model in MAKERS}
    campaign = CampaignFactory(organization=org)
    account = AccountFactory(organization=org)
    return objects, {"organization": org.pk, "campaign": campaign.pk, "account": account.pk}


def _model_for(path: str):
    from django.urls import resolve

    match = resolve(path.replace("{id}", "1"))
    queryset = getattr(getattr(match.func, "cls", None), "queryset", None)
    return queryset.model if queryset is not None else None


@pytest.mark.slow
def test_generated_requests_never_fail(transactional_db, live_server, people, org, org_objects, sent_tasks):
    objects, real_ids = org_objects
    _, key = tokens.token_create(user=people.editor, name="schemathesis")
    auth = {"Authorization": f"Token {key}"}
    # 127.0.0.1, not "localhost": resolving the name costs ~50 ms a request here.
    base_url = live_server.url.replace("localhost", "127.0.0.1")
    # The schema is for members only. Generating it takes seconds on a busy machine: a generous timeout.
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/", headers=auth, timeout=60)

    requests_per_operation: Counter = Counter()
    statuses: Counter = Counter()
    seconds_per_operation: Counter = Counter()
    failures: list[str] = []
    started = time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        model = _model_for(operation.path) if "{id}" in operation.path else None
        strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
        if model is not None:
            # Half the valid cases address a real object of the editor's organization.
            real = {"id": objects[model].pk}
            strategies.append(operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=real))

        op_started = time.monotonic()
        for strategy in strategies:

            @given(case=strategy, use_real_ids=st.booleans())
            @hsettings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @seed(20261122)
            def run(case, use_real_ids):
                label = f"{case.operation.method.upper()} {case.operation.path}"
                if use_real_ids and isinstance(case.body, dict) :
                    for name in REAL_ID_FIELDS:
                        if name in case.body and name in real_ids:
                            case.body[name] = real_ids[name]
                response = case.call(base_url=base_url, headers=auth, timeout=30)
                requests_per_operation[label] += 1
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=CHECKS, headers=auth)
                except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports every failure
                    failures.append(f"{label}: {exc}")
                    raise

            with contextlib.suppress(Exception, BaseExceptionGroup):  # recorded in `failures` above
                run()
        seconds_per_operation[label] = time.monotonic() - op_started

    elapsed = time.monotonic() - started
    total = sum(requests_per_operation.values())
    print(f"\nschemathesis: {total} requests, {len(requests_per_operation)} operations, {elapsed:.1f}s, "
          f"statuses {dict(sorted(statuses.items()))}")
    print("slowest:", [(op, round(sec, 1)) for op, sec in seconds_per_operation.most_common(8)])
    assert not failures, "\n\n".join(failures[:20])
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert set(requests_per_operation) == operations, operations - set(requests_per_operation)
    assert total >= 300
    assert not any(code >= 500 for code in statuses)
    assert elapsed < 180
