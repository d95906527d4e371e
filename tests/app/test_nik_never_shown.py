"""No page, export or mail shows a whole ID number to anyone but its owner.

The walk of ``test_every_page_indonesian`` (its data and its route filling, imported):
for every role, every GET page and export it reaches — HTML, CSV, JSON — and every GET
of the JSON API (with the role's own token) is searched for the whole ID number of each
account, and so is every mail in the outbox. The only
whole number a page may show is the viewer's own (their profile form). Officers and
admins see other people's numbers only through the audited "show" request
(tests/store/test_store_id_numbers.py), never on a plain visit. PDFs are left out:
the SPPD, a contract the buyer signs, carries the signatory's identity number in full.
"""

from __future__ import annotations

import email
import email.policy
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from test_every_page_indonesian import (  # noqa: F401 - config_overrides is a fixture
    ROLES,
    _endpoint,
    build_data,
    config_overrides,
    filled_urls,
    sign_in,
)

from app.accounts.models import Role, User


def _numbers(session) -> dict[int, str]:
    """Each account's whole ID number (decrypted by the model), long enough to matter."""
    return {u.id: u.id_number for u in session.query(User).all() if len(u.id_number or "") >= 8}


def _mail_text(path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    parts = [str(message["Subject"] or "")]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


@pytest.mark.parametrize("role_name", ROLES)
def test_no_page_or_export_shows_another_persons_id_number(app, session, client, role_name):
    del client  # requested for its isolated client class; the role gets its own below
    people, args = build_data(app, session)
    numbers = _numbers(session)
    assert len(numbers) >= len(people)  # every account of the walk has one
    seeds, _ = filled_urls(app, args)
    role = None if role_name == "anonymous" else Role(role_name)
    viewer = people[role] if role else None
    others = {n for uid, n in numbers.items() if viewer is None or uid != viewer.id}
    visitor = app.test_client()
    sign_in(visitor, viewer)
    shown: dict[str, set[str]] = defaultdict(set)
    queue, seen = list(seeds), set(seeds)
    per_endpoint: dict[str, int] = defaultdict(int)
    pages = 0
    while queue:
        url = queue.pop(0)
        response = visitor.get(url)
        kind = response.content_type or ""
        readable = kind.startswith("text/") or "json" in kind
        body = response.get_data(as_text=True) if readable else ""
        response.close()
        if not readable:  # PDFs (the SPPD, see above), images, data files
            continue
        pages += 1
        for number in others:
            if number in body:
                shown[url].add(number)
        if not kind.startswith("text/html"):
            continue
        for link in _links(body):
            target = _endpoint(app, link)
            if target and link not in seen and per_endpoint[target] < 4:
                if urlsplit(link).path.startswith("/api/"):
                    continue
                seen.add(link)
                per_endpoint[target] += 1
                queue.append(link)
    assert pages > 20
    assert not shown, f"{role_name} sees whole ID numbers: {dict(shown)}"


@pytest.mark.parametrize("role_name", ROLES)
def test_no_api_answer_shows_another_persons_id_number(app, session, client, role_name):
    """Every GET of the JSON API, filled with the walk's values, with the role's own API
    token (none for the anonymous): no answer holds another person's whole number."""
    from app.accounts.services.api_tokens import create_api_token

    del client
    people, args = build_data(app, session)
    numbers = _numbers(session)
    urls, _ = filled_urls(app, args, api=True)
    role = None if role_name == "anonymous" else Role(role_name)
    viewer = people[role] if role else None
    others = {n for uid, n in numbers.items() if viewer is None or uid != viewer.id}
    headers = {}
    if viewer is not None:
        _, plain = create_api_token(session, viewer, "nik walk")
        session.commit()
        headers["Authorization"] = f"Bearer {plain}"
    caller = app.test_client()
    shown: dict[str, set[str]] = defaultdict(set)
    answered = 0
    for url in urls:
        response = caller.get(url, headers=headers)
        kind = response.content_type or ""
        body = response.get_data(as_text=True) if "json" in kind or kind.startswith("text/") else ""
        response.close()
        answered += response.status_code == 200
        shown[url].update(n for n in others if n in body)
    assert len(urls) > 20 and answered >= (1 if viewer is None else 5)
    leaks = {url: found for url, found in shown.items() if found}
    assert not leaks, f"{role_name} sees whole ID numbers through the API: {leaks}"


def test_no_mail_carries_an_id_number(app, session, outbox):
    build_data(app, session)
    numbers = set(_numbers(session).values())
    mails = outbox.messages()
    assert mails  # the data set sends some (verifications, orders…)
    leaks = {path.name for path in mails for n in numbers if n in _mail_text(path)}
    assert not leaks


def _links(html: str) -> list[str]:
    from test_every_page_indonesian import read_page

    return [link.split("#")[0] for link in read_page(html).links]
