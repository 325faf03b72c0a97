"""The whole REST API fuzzed from its own OpenAPI schema (schemathesis) against the live test
server: every operation, anonymous and with a staff token (dispatcher, planner and admin of an
authority with a report), must never answer with a 5xx.

One test walks all operations, so the database is set up and flushed once. A few examples per
operation keep it in the normal suite (FUZZ_EXAMPLES, default 5); the long run by hand
(docs/testing.md) sets FUZZ_EXAMPLES to a few hundred."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from accounts.models import Role
from tests.factories import staff
from tests.tracker.staff.fixtures import make_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))


def _openapi() -> dict[str, Any]:
    """The schema /api/v1/schema/ serves, generated in-process."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


@pytest.fixture
def staff_headers(transactional_db: None) -> dict[str, str]:
    """A token of someone who may do everything the staff and planning API offer."""
    world = make_world()
    world.report()
    user = staff(world.kreis, Role.DISPATCHER, Role.PLANNER, Role.ADMIN, email="fuzz@example.org")
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


def test_no_operation_answers_with_a_server_error(
    live_server: Any, staff_headers: dict[str, str]
) -> None:
    schema = schemathesis.openapi.from_dict(_openapi())
    failures: list[str] = []
    calls = [0]
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 30  # the whole API, not an empty schema

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=EXAMPLES <= 10,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def fuzz(case: Any) -> None:
            calls[0] += 2
            case.call_and_validate(base_url=live_server.url, checks=[not_a_server_error])
            case.call_and_validate(
                base_url=live_server.url, headers=staff_headers, checks=[not_a_server_error]
            )

        try:
            fuzz()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    print(f"fuzzed {len(operations)} operations with {calls[0]} requests")
    assert not failures, "\n\n".join(failures)
