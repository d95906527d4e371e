"""The staff hub and the account hub list what features register, by role."""

from __future__ import annotations

from factories import PASSWORD, user
from flask import url_for
from helpers import submit

from app.accounts.models import Role


def _login(client, session, role):
    person = user(session, role=role)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    return person


def test_every_registered_link_resolves(app):
    links = app.extensions["pst.staff_links"] + app.extensions["pst.account_links"]
    assert {link.endpoint for link in links} >= {
        "catalog.staff_list",
        "library.downloads",
        "desk.console",
        "desk.my_services",
    }
    with app.test_request_context():
        for link in links:
            assert url_for(link.endpoint).startswith("/")


def test_staff_hub_follows_the_role(client, session):
    assert client.get("/staff").status_code == 302  # sign in first
    _login(client, session, Role.RECEPTIONIST)
    html = client.get("/staff", headers={"Cookie": "pst_lang=en"}).get_data(as_text=True)
    assert "/staff/desk/reception" in html
    assert "/staff/library/downloads" not in html  # officers only
    assert "/staff/users" not in html


def test_readers_have_no_staff_hub_but_an_account_hub(client, session):
    _login(client, session, Role.USER)
    assert client.get("/staff").status_code == 403
    html = client.get("/account").get_data(as_text=True)
    assert "/library/requests" in html and "/desk/my-services" in html


def test_staff_land_on_their_hub_which_links_to_scanning(client, session):
    person = user(session, role=Role.OFFICER)
    signed_in = submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert signed_in.headers["Location"] == "/staff"
    html = client.get("/staff", headers={"Cookie": "pst_lang=en"}).get_data(as_text=True)
    assert 'href="/staff/library/scan"' in html
    assert 'href="/staff/library/scan-requests"' in html


def test_visitors_land_on_the_public_home(client, session):
    person = user(session, role=Role.USER)
    signed_in = submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert signed_in.headers["Location"] == "/"
