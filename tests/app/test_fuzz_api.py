"""Every operation of the API, fuzzed from its OpenAPI document: never a 5xx.

Schemathesis generates valid and invalid requests for each operation from
``/api/v1/openapi.json`` and sends them to the Flask app in process (WSGI, no
network), without a token, with a member's and with an administrator's. Any 5xx
fails. A few examples per operation keep the run short; a failure prints the
request that reproduces it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from factories import user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from app.accounts import services
from app.accounts.models import Role

#: The fuzzer needs the database only to hold its data; PostgreSQL is the stricter of the
#: two (tests/database_runs.py).
pytestmark = [pytest.mark.long, pytest.mark.one_database("postgresql")]

#: Examples per operation: the Hypothesis profile's (dev 15, ci 6; tests/conftest.py).
EXAMPLES = settings.default.max_examples  # type: ignore[union-attr]


def _isolated(app: Any) -> Callable[..., Iterable[bytes]]:
    """The app as a WSGI callable whose every request runs in its own context.

    Flask would reuse the test's pushed app context (and with it ``g`` and the
    database session) for each request; here each gets its own, as in production,
    and the body is read inside it (streamed downloads read the database)."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        def run() -> list[bytes]:
            body = app.wsgi_app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()

        return contextvars.Context().run(run)

    return wsgi


@pytest.fixture
def bearers(app: Any, session: Any) -> list[dict[str, str]]:
    """No token, a member's token and an administrator's."""
    headers: list[dict[str, str]] = [{}]
    for role in (Role.USER, Role.ADMIN):
        _token, plain = services.create_api_token(session, user(session, role=role), "fuzz")
        headers.append({"Authorization": f"Bearer {plain}"})
    return headers


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read at collection from an app without a
    database (building an app touches none; the document is generated from code)."""
    import tempfile

    from app import create_app

    with tempfile.TemporaryDirectory() as instance:
        application = create_app(
            {"TESTING": True, "INSTANCE_PATH": instance, "SECRET_KEY": "x" * 40}
        )
        spec = application.test_client().get("/api/v1/openapi.json").json
    return [
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _fuzz(api: Any, method: str, path: str, bearers: list[dict[str, str]]) -> None:
    operation = api[path][method.upper()]
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        for headers in bearers:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

    fuzz()


def test_no_operation_answers_5xx(app: Any, bearers: list[dict[str, str]]) -> None:
    """All operations in one test (one app and one set of tokens: building them is
    most of the cost); every operation is fuzzed and every failure reported."""
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _isolated(app))
    operations = _operations()
    assert len(operations) >= 40  # the document lists the whole API
    failures = []
    for method, path in operations:
        try:
            _fuzz(api, method, path, bearers)
        except Exception as exc:
            failures.append(f"{method.upper()} {path}:\n{exc}")
    assert not failures, "\n\n".join(failures)
