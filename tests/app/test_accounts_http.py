"""Account pages over HTTP: field errors, CSRF, sign-in, reset, tokens, admin."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from factories import PASSWORD, profile, registration_form, user
from helpers import csrf_token, submit
from sqlalchemy import select

from app.accounts.models import ApiToken, Role, User


def _link(outbox, marker):
    mail = message_from_bytes(outbox.messages()[-1].read_bytes(), policy=policy.default)
    body = mail.get_body(("plain",)).get_content()
    url = next(w for w in body.split() if marker in w)
    return url.replace("http://localhost", "")


def _login(client, email, password=PASSWORD):
    return submit(client, "/login", {"email": email, "password": password})


def test_register_verify_login_logout(client, session, outbox):
    form = registration_form(email="siti@example.org")
    response = submit(client, "/register", form)
    assert response.status_code == 200
    assert "siti@example.org" in response.get_data(as_text=True)
    person = session.scalar(select(User).where(User.email == "siti@example.org"))
    assert person.id_number == form["id_number"] and person.birth_year == 2000

    # Not verified yet: sign-in is refused with a pointer to the resend page.
    assert _login(client, "siti@example.org").headers["Location"].endswith("/verify")

    response = client.get(_link(outbox, "/verify/"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    response = _login(client, "siti@example.org")
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    response = submit(client, "/logout", {}, page="/profile")
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "bukan-email", "email"),
        ("password", "123", "10"),
        ("confirm", "lain-lain-lain-1", ""),
        ("id_number", "12345", "16"),
        ("phone", "telepon", ""),
        ("birth_year", "1800", "1900"),
        ("gender", "", ""),
        ("consent", "", ""),
    ],
)
def test_register_field_errors(client, session, field, value, message):
    form = registration_form(**{field: value})
    if not value:
        form.pop(field)
    response = submit(client, "/register", form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert 'aria-invalid="true"' in html or field in {"gender", "consent"}
    if message:
        error = re.search(rf'id="{field}-error">([^<]*)<', html).group(1)
        assert message in error.lower() or message in error
    assert session.scalar(select(User)) is None


def _desk_visitor(session, email):
    """A visitor the receptionist signs into the guest book: an account, no password."""
    from datetime import datetime

    from app.i18n import WIB
    from desk import guestbook
    from desk.models import Channel, Purpose, ServiceType

    guestbook.sign_in(
        session,
        now=datetime(2026, 11, 25, 10, 0, tzinfo=WIB),
        opened_at=None,
        channel=Channel.RECEPTION,
        services=[ServiceType.LIBRARY],
        purpose=Purpose.STUDY,
        profile=profile(full_name="Dewi Anggraini"),
        email=email,
        staff=True,
        consent=guestbook.Consented(),  # the reception form's box
    )
    return session.scalar(select(User).where(User.email == email))


def _page_text(response):
    html = re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))
    return re.sub(r"[a-z0-9.]+@example\.org", "EMAIL", html, flags=re.IGNORECASE)


def test_registration_never_reveals_whether_an_address_is_taken(client, session, outbox):
    user(session, email="punya@example.org", full_name="Ada Sandi")
    _desk_visitor(session, "tamu@example.org")
    answers = {
        email: submit(client, "/register", registration_form(email=email.upper()))
        for email in ("baru@example.org", "punya@example.org", "tamu@example.org")
    }
    assert {r.status_code for r in answers.values()} == {200}
    assert len({_page_text(r) for r in answers.values()}) == 1
    # Only the new address became an account; the others were not touched.
    assert len(session.scalars(select(User)).all()) == 3
    assert session.scalar(select(User).where(User.email == "punya@example.org")).full_name == (
        "Ada Sandi"
    )
    mails = {
        m["To"]: m.get_body(("plain",)).get_content()
        for m in (
            message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.messages()
        )
    }
    assert set(mails) == {"baru@example.org", "punya@example.org", "tamu@example.org"}
    assert "/verify/" in mails["baru@example.org"]
    assert "/password/reset/" in mails["tamu@example.org"]
    owner = mails["punya@example.org"]
    assert "/login" in owner and "/password/forgot" in owner and "/password/reset/" not in owner


def test_a_desk_visitor_claims_their_account_online(client, session, outbox):
    visitor = _desk_visitor(session, "dewi@example.org")
    assert not visitor.has_password
    # A link they were mailed (their library requests) leads to sign-in, which fails.
    to_sign_in = client.get("/library/requests")
    assert to_sign_in.status_code == 302 and "/login" in to_sign_in.headers["Location"]
    assert "/login" in _login(client, "dewi@example.org", "apa-saja-123").request.path

    registered = submit(client, "/register", registration_form(email="dewi@example.org"))
    assert registered.status_code == 200
    link = _link(outbox, "/password/reset/")
    response = submit(client, link, {"password": "sandi-dewi-baru", "confirm": "sandi-dewi-baru"})
    assert response.headers["Location"].endswith("/login")
    # Now every mailed link works: sign-in succeeds and leads back to it.
    signed_in = submit(
        client,
        "/login?next=/library/requests",
        {"email": "dewi@example.org", "password": "sandi-dewi-baru"},
        page="/login",
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/library/requests"
    assert client.get("/library/requests").status_code == 200
    session.expire_all()
    person = session.get(User, visitor.id)
    assert person.has_password and person.email_verified and person.full_name == "Dewi Anggraini"
    assert len(session.scalars(select(User)).all()) == 1


def test_forms_require_csrf(client, session):
    response = client.post("/register", data=registration_form())
    assert response.status_code == 400
    assert session.scalar(select(User)) is None


def test_login_does_not_reveal_accounts(client, session):
    user(session, email="ada@example.org")
    wrong_password = _login(client, "ada@example.org", "salah-salah-1").get_data(as_text=True)
    no_account = _login(client, "tidak-ada@example.org", "salah-salah-1").get_data(as_text=True)
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(wrong_password) == strip(no_account)


def test_forgot_password_same_answer_and_reset(client, session, outbox):
    user(session, email="ada@example.org")
    known = submit(client, "/password/forgot", {"email": "ada@example.org"})
    unknown = submit(client, "/password/forgot", {"email": "none@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(outbox.messages()) == 1
    link = _link(outbox, "/password/reset/")
    response = submit(
        client, link, {"password": "sandi-baru-yang-kuat", "confirm": "sandi-baru-yang-kuat"}
    )
    assert response.headers["Location"].endswith("/login")
    assert _login(client, "ada@example.org", "sandi-baru-yang-kuat").status_code == 302
    # The link worked once.
    assert client.get(link).headers["Location"].endswith("/password/forgot")


def test_bad_reset_token(client):
    response = client.get("/password/reset/not-a-token")
    assert response.status_code == 302


def test_tokens_page_creates_and_revokes(client, session):
    person = user(session, email="ada@example.org")
    _login(client, "ada@example.org")
    html = submit(client, "/tokens", {"name": "skrip"}).get_data(as_text=True)
    plain = re.search(r'id="new-token"[^>]*value="(pst_[^"]+)"', html).group(1)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    # Shown once only.
    assert plain not in client.get("/tokens").get_data(as_text=True)
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == person.id))
    submit(client, f"/tokens/{token.id}/revoke", {}, page="/tokens")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(client, session):
    from app.accounts import services

    owner = user(session)
    token, plain = services.create_api_token(session, owner, "milik orang")
    user(session, email="mallory@example.org")
    _login(client, "mallory@example.org")
    response = submit(client, f"/tokens/{token.id}/revoke", {}, page="/tokens")
    assert response.status_code == 404
    assert services.user_for_api_token(session, plain) is not None


def test_profile_update(client, session):
    user(session, email="ada@example.org")
    _login(client, "ada@example.org")
    page = client.get("/profile").get_data(as_text=True)
    assert 'value="Universitas Bengkulu"' in page
    token = re.search(r'name="profile-csrf_token"[^>]*value="([^"]+)"', page)
    data = {
        "profile-csrf_token": token.group(1) if token else csrf_token(client, "/profile"),
        "profile-full_name": "Ada Lovelace",
        "profile-phone": "081234567890",
        "profile-id_type": "passport",
        "profile-id_number": "a1234567",
        "profile-institution": "BPS",
        "profile-institution_kind": "government",
        "profile-occupation": "Statistisi",
        "profile-education": "s2",
        "profile-gender": "female",
        "profile-birth_year": "1990",
        "profile-submit": "1",
    }
    response = client.post("/profile", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    person = session.scalar(select(User).where(User.email == "ada@example.org"))
    assert person.full_name == "Ada Lovelace" and person.id_number == "A1234567"


def test_staff_pages_need_roles(client, session):
    user(session, email="visitor@example.org")
    _login(client, "visitor@example.org")
    assert client.get("/staff/users").status_code == 403
    assert client.get("/staff/jobs").status_code == 403


def test_admin_creates_staff_who_sets_password(client, session, outbox):
    user(session, role=Role.ADMIN, email="admin@example.org")
    _login(client, "admin@example.org")
    response = submit(
        client,
        "/staff/users/new",
        {"full_name": "Petugas Satu", "email": "petugas@example.org", "role": "officer"},
    )
    assert response.status_code == 302
    staff = session.scalar(select(User).where(User.email == "petugas@example.org"))
    assert staff.role == Role.OFFICER and staff.email_verified
    link = _link(outbox, "/password/reset/")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    submit(client, link, {"password": "petugas-kuat-123", "confirm": "petugas-kuat-123"})
    assert _login(client, "petugas@example.org", "petugas-kuat-123").status_code == 302


def test_admin_changes_role_and_deactivates(client, session):
    user(session, role=Role.ADMIN, email="admin@example.org")
    other = user(session, email="o@example.org")
    _login(client, "admin@example.org")
    page = f"/staff/users/{other.id}"
    submit(client, page, {"role": "receptionist"})
    submit(client, f"{page}/active", {"active": "0"}, page=page)
    session.expire_all()
    other = session.get(User, other.id)
    assert other.role == Role.RECEPTIONIST and not other.active
    history = client.get(page).get_data(as_text=True)
    # The account's history reads as words, not as action names and JSON.
    assert "Akun dinonaktifkan" in history and "account.deactivated" not in history
    assert "Peran diubah (Sebelum: Pengguna layanan; Sesudah: Resepsionis)" in history, history
    assert client.get("/staff/users?q=o%40example").status_code == 200
    assert client.get("/staff/users/999999").status_code == 404


def test_open_redirect_refused(client, session):
    user(session, email="ada@example.org")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=//evil.example/x",
        data={"csrf_token": token, "email": "ada@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_admin_starts_storage_check_from_jobs_page(client, session):
    from app.jobs import Job

    user(session, role=Role.ADMIN, email="admin@example.org")
    _login(client, "admin@example.org")
    response = submit(client, "/staff/jobs/storage-check", {}, page="/staff/jobs")
    assert response.status_code == 302
    job = session.scalar(select(Job))
    assert job.name == "storage.check" and job.state == "done"
    jobs_page = client.get("/staff/jobs").get_data(as_text=True)
    assert "Pemeriksaan penyimpanan" in jobs_page and "storage.check" not in jobs_page
    # The result reads as labelled figures, not as JSON.
    result = client.get(f"/staff/jobs/{job.id}").get_data(as_text=True)
    assert "<dt>Berkas diperiksa</dt><dd>0</dd>" in result and "<dt>Berkas hilang</dt>" in result
    assert "&#34;checked&#34;" not in result and '"checked"' not in result


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",  # a tab: browsers drop it and read //evil.example
        "/%0a/evil.example",
        "/%0d%0a/evil.example",  # CR/LF: also a broken Location header (was a 500)
        "/\\evil.example",
        "https://evil.example/",
        "/%0d%0aSet-Cookie:%20x=1",
    ],
)
def test_sign_in_never_redirects_off_site(client, session, target):
    user(session, email="ada@example.org")
    token = csrf_token(client, "/login")
    response = client.post(
        f"/login?next={target}",
        data={"csrf_token": token, "email": "ada@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r\n/evil.example", "//evil.example"])
def test_the_language_switch_never_redirects_off_site(client, target):
    token = csrf_token(client, "/login")  # anonymous pages carry no token
    response = client.post("/language", data={"csrf_token": token, "lang": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
