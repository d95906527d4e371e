"""The service-error-to-flash adapter (app/flashing.py): a refused service call shows
its message in the user's language and the page goes on (or redirects back)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import get_flashed_messages
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.errors import NotFound, PSTError
from app.flashing import flashed, guarded


class Refused(PSTError):
    status = 409
    message = _l("The page or record was not found.")  # a msgid with an Indonesian text


class Other(PSTError):
    pass


def test_a_refusal_is_flashed_in_the_users_language(app: Any) -> None:
    with app.test_request_context("/"), force_locale("id"):
        with flashed(Refused) as outcome:
            raise Refused()
        assert outcome.failed and isinstance(outcome.error, Refused)
        [(category, message)] = get_flashed_messages(with_categories=True)
        assert category == "error"
        assert message == str(Refused.message) and message != "The page or record was not found."


def test_success_flashes_nothing_and_other_errors_pass(app: Any) -> None:
    with app.test_request_context("/"):
        with flashed(Refused) as outcome:
            pass
        assert not outcome.failed and get_flashed_messages() == []
        with pytest.raises(Other), flashed(Refused):
            raise Other()
        with pytest.raises(NotFound), flashed(keep_not_found=True):
            raise NotFound()


def test_a_field_gets_the_message_instead(app: Any) -> None:
    class Field:
        errors: tuple[str, ...] = ()

    field = Field()
    with app.test_request_context("/"):
        with flashed(Refused, field=field):
            raise Refused("Too late.")
        assert field.errors == ["Too late."] and get_flashed_messages() == []


def test_a_guarded_view_redirects_back(app: Any) -> None:
    @guarded(lambda code: f"/orders/{code}", Refused)
    def view(code: str) -> str:
        raise Refused("No.")

    @guarded(lambda code: "/", Refused)
    def missing(code: str) -> str:
        raise type("Gone", (Refused,), {"status": 404})()

    with app.test_request_context("/"):
        response = view(code="A1")
        assert response.status_code == 302 and response.location == "/orders/A1"
        assert get_flashed_messages() == ["No."]
        with pytest.raises(Refused):
            missing(code="A1")
