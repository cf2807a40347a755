"""Property-based tests of /api/ from its own OpenAPI schema (schemathesis, in-process).

Schemathesis reads /api/openapi.json from the Django WSGI app, generates requests
for every operation from the documented parameters, and checks each answer: never
a 5xx, a documented status code and content type, a body that matches the
documented schema. The examples are few (the suite runs on two cores); the data
is the five seed reports, imported through the real write path.
"""

import io

import pytest
import schemathesis
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty request counters: the suite is one client address."""
    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Django's WSGI handler closes the connection after each request when it is
    not in autocommit mode, which a test transaction is; on PostgreSQL that ends
    the test's transaction. Django's own test client unhooks the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db):
    backend().clear()
    call_command(
        "import_reports",
        *sorted(map(str, SEEDS_DIR.glob("*.txt"))),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    drain_queue()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_api_operation_answers_within_its_documented_schema(case, seeded):
    case.call_and_validate(checks=CHECKS, headers={"Host": "localhost"})
