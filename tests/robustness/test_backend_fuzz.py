"""The backend API fuzzed from its own OpenAPI description (schemathesis): no answer is a 5xx.

Valid and invalid requests (positive and negative data generation) for every
operation, with the service token, and for the personal routes a real access
token of a synthetic person so that the fuzzing gets past authentication. A
backend of its own (own database, own workdir): the random tickets it creates
must not disturb the shared stack's tests.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import DataGenerationMethod
from schemathesis.checks import not_a_server_error

from bot.backend.seed import synthetic_identity
from tests.servers import SERVICE_TOKEN, Stack

EXAMPLES_PER_OPERATION = 25
# FastAPI 0.99 describes its API in OpenAPI 3.1; schemathesis 3.21 reads it behind this switch.
schemathesis.experimental.OPEN_API_3_1.enable()


@pytest.fixture(scope="module")
def fuzzed_backend(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("fuzz"))
    stack.start_backend(population=3)
    person = synthetic_identity(2)
    grant = httpx.post(
        f"{stack.backend_url}/v1/identification",
        headers={"X-Service-Token": SERVICE_TOKEN},
        json={
            "conversation_id": "fuzz",
            "channel": "rest",
            "identifier": person.identifier,
            "birth_date": person.birth_date.isoformat(),
        },
        timeout=10,
    )
    assert grant.status_code == 200, grant.text
    stack.fuzz_grant = grant.json()
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def backend_schema(fuzzed_backend):
    return schemathesis.from_uri(
        f"{fuzzed_backend.backend_url}/openapi.json",
        base_url=fuzzed_backend.backend_url,
        data_generation_methods=[DataGenerationMethod.positive, DataGenerationMethod.negative],
    )


schema = schemathesis.from_pytest_fixture("backend_schema")
# Operations without any parameter or body (/health, the public calendar, the rule parameters) cannot
# receive an invalid request: they get valid ones only, so that nothing is reported as skipped.
WITH_INPUT = r"^/v1/(?!calendar/|rules/parameters$)"


def _no_server_error(case, fuzzed_backend) -> None:
    grant = fuzzed_backend.fuzz_grant
    headers = {"X-Service-Token": SERVICE_TOKEN, **(case.headers or {})}
    if case.path_parameters and "job_seeker_id" in case.path_parameters:
        case.path_parameters["job_seeker_id"] = grant["job_seeker_id"]
        headers.update({"Authorization": f"Bearer {grant['access_token']}", "X-Conversation-Id": "fuzz"})
    response = case.call(headers=headers, timeout=30)
    case.validate_response(response, checks=(not_a_server_error,))


@schema.parametrize(data_generation_methods=[DataGenerationMethod.positive])
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_valid_request_makes_the_backend_fail(case, fuzzed_backend):
    _no_server_error(case, fuzzed_backend)


@schema.parametrize(data_generation_methods=[DataGenerationMethod.negative], endpoint=WITH_INPUT)
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_invalid_request_makes_the_backend_fail(case, fuzzed_backend):
    _no_server_error(case, fuzzed_backend)
