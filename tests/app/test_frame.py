"""The frame's kept parts (``app.frame``): rendered once per language and kind of visitor,
and never carrying one visitor's name or token to another."""

from __future__ import annotations

import re
from typing import Any

import pytest
from factories import PASSWORD, user
from helpers import submit

from app import frame
from app.accounts.models import Role


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The parts rendered (not taken from the kept ones), by macro name."""
    made: list[str] = []
    original = frame._render

    def counted(context: Any, name: str, **values: Any) -> str:
        made.append(name)
        return original(context, name, **values)

    monkeypatch.setattr(frame, "_render", counted)
    return made


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def _sign_in(client: Any, session: Any, role: Role, name: str) -> Any:
    person = user(session, role=role, full_name=name)
    assert submit(client, "/login", {"email": person.email, "password": PASSWORD}).status_code
    return person


def test_each_part_is_rendered_once_per_language_and_kind(client, renders):
    first = client.get("/catalog").text
    assert sorted(renders) == ["footer", "header_nav"]
    assert client.get("/catalog").text == first and len(renders) == 2  # kept
    assert client.get("/catalog/search?q=x").status_code == 200 and len(renders) == 2
    client.set_cookie("pst_lang", "en")
    english = client.get("/catalog").text
    assert "Sign in" in english and "Publications" in english and len(renders) == 4
    client.set_cookie("pst_lang", "id")
    assert "Masuk" in client.get("/catalog").text and len(renders) == 4


def test_visitors_of_one_kind_see_only_their_own_name_and_token(app, client, session, renders):
    # ``client`` makes the app's test clients isolated: each request has its own ``g``.
    first, second = app.test_client(), app.test_client()
    _sign_in(first, session, Role.USER, "Pembaca Pertama")
    _sign_in(second, session, Role.USER, "Pembaca Kedua")
    one = first.get("/catalog").text
    two = second.get("/catalog").text
    assert "Pembaca Pertama" in one and "Pembaca Kedua" not in one
    assert "Pembaca Kedua" in two and "Pembaca Pertama" not in two
    assert len(_tokens(one)) == 1 and len(_tokens(two)) == 1 and _tokens(one) != _tokens(two)
    assert renders.count("header_nav") == 2  # anonymous (sign-in page), signed in: kept
    assert "\x00" not in one + two
    # Each token is the visitor's own: the sign-out form it is in works.
    token = _tokens(two).pop()
    assert second.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "Pembaca Kedua" not in second.get("/catalog").text
    assert "Pembaca Pertama" in first.get("/catalog").text


def test_the_staff_link_follows_the_kind_of_visitor(app, client, session):
    staff, reader, anonymous = app.test_client(), app.test_client(), app.test_client()
    _sign_in(staff, session, Role.OFFICER, "Petugas Katalog")
    _sign_in(reader, session, Role.USER, "Pembaca")
    assert 'href="/staff"' in staff.get("/catalog").text
    assert 'href="/staff"' not in reader.get("/catalog").text
    page = anonymous.get("/catalog").text
    assert 'href="/staff"' not in page and 'href="/login"' in page and not _tokens(page)
