"""Every HTML form, filled with hostile values: never a 5xx.

For each role (nobody signed in, a member, an administrator, who holds every staff
role) the pages without a path argument are rendered, their POST forms are parsed, and
each text field of each form is sent, one at a time, each hostile value below, the
other fields keeping a plausible value. Every POST route is also sent the hostile
values blind (with a valid CSRF token), for the forms that only appear on a record's
page. Any 5xx fails, naming the form, field and value.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from factories import PASSWORD, user
from helpers import submit

from app.accounts.models import Role

#: The fuzzer needs the database only to hold its data; PostgreSQL is the stricter of the
#: two (tests/database_runs.py).
pytestmark = [pytest.mark.long, pytest.mark.one_database("postgresql")]

HOSTILE = {
    "nul": "a\x00b",
    "control": "a\x01\x1b[31mb\x7f",
    "crlf": "Judul\r\nBcc: korban@example.org",
    "long": "x" * 100_000,
    "huge-int": "9" * 400,
    "big-int": str(10**30),
    "odd-unicode": "\u202e\ufeffk\u0301\U0001d54f\U0010fffd\u2028\u00a0",
    "markup": "<script>alert(1)</script>' OR 1=1 --",
}

_SKIP_PAGES = re.compile(r"logout|/static/|download|qr\.svg|/status$|/print$|openapi")


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name, kind, value, options)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            )
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and any(
                f["name"] == a["name"] for f in self.forms[-1]["fields"]
            ):
                return
            value = a.get("value", "")
            self.forms[-1]["fields"].append({"name": a["name"], "kind": kind, "value": value})
        elif tag == "textarea" and a.get("name"):
            self.forms[-1]["fields"].append({"name": a["name"], "kind": "textarea", "value": ""})
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "kind": "select", "value": None}
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None and self._select["value"] in (None, ""):
            self._select["value"] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _plausible(field: dict[str, Any]) -> str:
    name, kind = field["name"], field["kind"]
    if field.get("value"):
        return str(field["value"])
    if kind == "email" or "email" in name:
        return "fuzz@example.org"
    if "password" in name or name == "confirm":
        return PASSWORD
    if kind == "number" or name.endswith(("_id", "year", "count", "quantity")):
        return "2000" if "year" in name else "1"
    if kind == "date" or "date" in name:
        return "2027-01-04"
    if kind == "time" or name.endswith("_time"):
        return "10:00"
    if kind in {"checkbox", "radio"}:
        return "y"
    if "phone" in name:
        return "0899 1111 2222"
    return "Teks uji"


def _post_forms(html: str, page: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    found = []
    for form in parser.forms:
        if form["method"].lower() != "post":
            continue
        form["action"] = form["action"] or page
        if form["action"].startswith(("http://", "https://")):
            continue
        found.append(form)
    return found


def _sign_in(client: Any, session: Any, role: Role | None) -> None:
    if role is None:
        return
    person = user(session, role=role)
    response = submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302


def _pages(app: Any) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.rule.startswith("/api/"):
            continue
        if _SKIP_PAGES.search(rule.rule):
            continue
        pages.append(rule.rule)
    return sorted(set(pages))


def _blind_targets(app: Any) -> list[str]:
    """Every POST route, its path arguments filled (1 for ids, a word otherwise)."""
    targets = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/") or "logout" in rule.rule:
            continue
        path = re.sub(r"<int:[^>]+>", "1", rule.rule)
        path = re.sub(r"<[^>]+>", "x", path)
        targets.append(path)
    return sorted(set(targets))


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _any_token(client: Any, pages: list[str]) -> str:
    """The session's CSRF token, from the first page that carries a form."""
    for page in pages:
        if m := _CSRF.search(client.get(page).get_data(as_text=True)):
            return m.group(1)
    return ""


#: Each role's pages and POST routes are dealt into this many parts, one test each, so
#: pytest-xdist spreads the fuzzer (the longest test of the suite when it was one).
PARTS = 3


def _part(items: list[str], part: int) -> list[str]:
    return items[part::PARTS]


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize(
    "role", [None, Role.USER, Role.ADMIN], ids=["anonymous", "member", "admin"]
)
def test_no_form_answers_5xx(
    app: Any, client: Any, session: Any, role: Role | None, part: int
) -> None:
    _sign_in(client, session, role)
    failures: list[str] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    token = ""
    forms = 0
    for page in _part(_pages(app), part):
        response = client.get(page)
        if response.status_code >= 500:
            failures.append(f"GET {page}: {response.status_code}")
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        token = token or (m.group(1) if (m := _CSRF.search(html)) else "")
        for form in _post_forms(html, page):
            if "logout" in form["action"]:  # would end the role's session midway
                continue
            names = tuple(f["name"] for f in form["fields"])
            if (form["action"], names) in seen:
                continue
            seen.add((form["action"], names))
            forms += 1
            base = {f["name"]: _plausible(f) for f in form["fields"] if f["kind"] != "file"}
            for field in form["fields"]:
                if field["kind"] in {"hidden", "file", "checkbox", "radio", "submit"}:
                    continue
                for label, value in HOSTILE.items():
                    data = {**base, field["name"]: value}
                    answer = client.post(form["action"], data=data)
                    if answer.status_code >= 500:
                        where = f"{form['action']} field {field['name']} ({label})"
                        failures.append(f"{where}: {answer.status_code}")
    assert forms >= 1, "no forms found: the crawler is broken"
    token = token or _any_token(client, _pages(app))  # this part's pages had no form
    for target in _part(_blind_targets(app), part):
        for label, value in HOSTILE.items():
            data = {"csrf_token": token, "q": value, "name": value, "text": value, "id": value}
            answer = client.post(target, data=data)
            if answer.status_code >= 500:
                failures.append(f"blind POST {target} ({label}): {answer.status_code}")
    assert not failures, "\n".join(failures)
