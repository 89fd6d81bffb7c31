"""The whole OpenAPI schema, fuzzed by schemathesis through the WSGI app as a director and as a social worker:
no server error, and every answer conforms to the schema (its status declared, its body valid).

Bounded for CI: SCHEMATHESIS_EXAMPLES examples per operation and role (default 30). The stateful run follows the
links schemathesis infers between the operations (an id a POST or a list answers, used by a GET, PATCH or DELETE):
SCHEMATHESIS_STATEFUL_EXAMPLES sequences (default 30) of up to SCHEMATHESIS_STATEFUL_STEPS calls (default 10)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from opora.accounts.actions import do_create_token
from opora.api.v1 import api
from opora.wsgi import application
from tests.factories_delivery import make_catalogue, make_programme

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "30"))
# Not positive_data_acceptance: a schema-valid body may still break a rule (a future date, a person not enrolled),
# which is a 422 by design.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection, ignored_auth]

PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing").split(",")

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application
schema.config.phases.update(phases=PHASES)

STATEFUL_EXAMPLES = int(os.environ.get("SCHEMATHESIS_STATEFUL_EXAMPLES", "30"))
STATEFUL_STEPS = int(os.environ.get("SCHEMATHESIS_STATEFUL_STEPS", "10"))
stateful_schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
stateful_schema.app = application
stateful_schema.config.phases.update(phases=["stateful"])  # with the links inferred from the schema


@pytest.fixture(autouse=True)
def _one_connection():
    """As Django's test client does: the WSGI app must not close the test's connection at the end of a request
    (on PostgreSQL that would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world) -> dict[str, str]:
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)
    return {role: do_create_token(world.users[role]) for role in ("director", "social_worker")}


@pytest.mark.parametrize("role", ["director", "social_worker"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_request_within_its_schema(case, role, tokens):
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}", "Host": "localhost"}, checks=CHECKS)


@pytest.mark.parametrize("role", ["director", "social_worker"])
def test_sequences_of_calls_linked_by_ids_stay_within_the_schema(role, tokens):
    headers = {"Authorization": f"Bearer {tokens[role]}", "Host": "localhost"}
    called: set[str] = set()

    class Workflow(stateful_schema.as_state_machine()):  # type: ignore[misc]
        # Each sequence starts from the same records (its writes rolled back after it): the links it follows read
        # ids from earlier answers, and a record left by an earlier sequence would change what later ones draw
        # (Hypothesis refuses data generation that depends on such outside state).
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def call(self, case, **kwargs):
            called.add(f"{case.method} {case.path}")
            return super().call(case, **kwargs)

        def validate_response(self, response, case, additional_checks=(), **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs=kwargs)

    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=STATEFUL_EXAMPLES, stateful_step_count=STATEFUL_STEPS, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
    print(f"{role}: {len(called)} operations called in sequences")
    assert len(called) >= 10  # the sequences reached many operations, not one
