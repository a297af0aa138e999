"""The API against its own OpenAPI schema, with schemathesis (in-process, through WSGI).

Every operation gets a bounded number of generated requests, valid and invalid; no answer may
be a server error, and every answer must be one the schema declares (status, content type,
body). Reading is done with a researcher's token, so the read operations answer 200 too.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from mango.accounts.models import ApiToken
from mango.wsgi import application
from tests.conftest import make_story, make_user

EXAMPLES = 15
# No server error and no answer outside the schema; schema-invalid requests are refused.
# (Not "every schema-valid request is accepted": the schema cannot say, for instance, which
# organisation slugs exist or that one of the two consents is needed.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


# Loading the schema reads no database: it is built from the code.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_connection():
    """As Django's test client does: the WSGI handler would close the database connection at
    the end of each request, and with it the test's transaction (on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def reader(org, other_org, settings, keep_connection):
    settings.MANGO_SUBMIT_RATE = "100000/h"
    cache.clear()
    for organisation in (org, other_org):
        make_story(organisation)
    user = make_user("schema-reader", "researcher", None)
    _token, raw = ApiToken.issue(user, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_as_its_schema_says(case, reader):
    case.call_and_validate(headers=reader, checks=CHECKS)
