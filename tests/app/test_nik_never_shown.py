"""No page, export, API answer or mail shows a whole ID number to anyone but its owner.

The pages and exports are checked by the walk of ``test_every_page_indonesian``: for
every role, every GET page and export it reaches (HTML, CSV, JSON) is searched for the
whole ID number of each other account. Here, with its data and its route filling: every
GET of the JSON API (with the role's own token), and every mail in the outbox. The only
whole number a page may show is the viewer's own (their profile form). Officers and
admins see other people's numbers only through the audited "show" request
(tests/store/test_store_id_numbers.py), never on a plain visit. PDFs are left out:
the SPPD, a contract the buyer signs, carries the signatory's identity number in full.
"""

from __future__ import annotations

import email
import email.policy
from collections import defaultdict

import pytest
from test_every_page_indonesian import (  # noqa: F401 - config_overrides is a fixture
    ROLES,
    build_data,
    config_overrides,
    filled_urls,
    id_numbers,
)

from app.accounts.models import Role

#: The walks here use the database only to hold their data (see tests/database_runs.py).
pytestmark = pytest.mark.one_database("postgresql")


def _mail_text(path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    parts = [str(message["Subject"] or "")]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


@pytest.mark.long
@pytest.mark.parametrize("role_name", ROLES)
def test_no_api_answer_shows_another_persons_id_number(app, session, client, role_name):
    """Every GET of the JSON API, filled with the walk's values, with the role's own API
    token (none for the anonymous): no answer holds another person's whole number."""
    from app.accounts.services.api_tokens import create_api_token

    del client
    people, args = build_data(app, session)
    numbers = id_numbers(session)
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
    numbers = set(id_numbers(session).values())
    mails = outbox.messages()
    assert mails  # the data set sends some (verifications, orders…)
    leaks = {path.name for path in mails for n in numbers if n in _mail_text(path)}
    assert not leaks
