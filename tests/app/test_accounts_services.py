"""Account services without HTTP: registration, verification, reset, tokens, roles."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from factories import PASSWORD, profile, user
from sqlalchemy import select

from app.accounts import services
from app.accounts.errors import InvalidToken, LastAdmin, UnknownToken
from app.accounts.models import ApiToken, Role, User
from app.accounts.passwords import hash_password, is_usable, unusable_password, verify_password
from app.accounts.services import registration
from app.accounts.tokens import LinkSigner
from app.audit import AuditEvent
from app.db import utcnow

LINKS = services.Links(
    verify=lambda t: f"http://x/verify/{t}", reset=lambda t: f"http://x/reset/{t}"
)


@pytest.fixture
def signer(app):
    return LinkSigner(app.config["SECRET_KEY"])


def _register(session, outbox, signer, email="budi@example.org"):
    return services.register(
        session,
        email=email,
        password=PASSWORD,
        profile=profile(),
        locale="id",
        mailer=outbox,
        signer=signer,
        links=LINKS,
    )


def _last_mail(outbox):
    return message_from_bytes(outbox.messages()[-1].read_bytes(), policy=policy.default)


def _token_from_mail(outbox, marker):
    body = _last_mail(outbox).get_body(("plain",)).get_content()
    line = next(word for word in body.split() if marker in word)
    return line.rsplit("/", 1)[1]


def test_register_stores_profile_hash_and_mails_link(session, outbox, signer):
    person = _register(session, outbox, signer, email="  Budi@Example.ORG ")
    assert person.email == "budi@example.org"
    assert person.password_hash.startswith("$argon2id$")
    assert PASSWORD not in person.password_hash
    assert person.role == Role.USER and not person.email_verified
    assert person.institution == "Universitas Bengkulu"
    mail = _last_mail(outbox)
    assert mail["To"] == "budi@example.org"
    assert "Verifikasi" in mail["Subject"] or "Verify" in mail["Subject"]


def test_a_taken_address_changes_nothing_and_mails_its_owner(session, outbox, signer):
    owner = _register(session, outbox, signer)
    before = (owner.password_hash, owner.full_name, owner.id_number)
    assert _register(session, outbox, signer, email="BUDI@example.org") is None
    session.expire_all()
    assert len(session.scalars(select(User)).all()) == 1
    owner = session.get(User, owner.id)
    assert (owner.password_hash, owner.full_name, owner.id_number) == before
    mail = _last_mail(outbox)
    assert len(outbox.messages()) == 2 and mail["To"] == "budi@example.org"
    body = mail.get_body(("plain",)).get_content()
    assert "/reset/" not in body and "/verify/" not in body  # a note, no token


def test_a_desk_visitor_without_password_is_mailed_a_link_to_set_one(session, outbox, signer):
    visitor = user(session, email="desk@example.org", verified=False)
    visitor.password_hash = unusable_password()
    session.commit()
    assert not visitor.has_password
    assert services.authenticate(session, "desk@example.org", PASSWORD) is None

    assert _register(session, outbox, signer, email="desk@example.org") is None
    assert len(session.scalars(select(User)).all()) == 1
    token = _token_from_mail(outbox, "/reset/")
    services.reset_password(session, token, "sandi-pilihan-saya", signer=signer, max_age=3600)
    person = services.authenticate(session, "desk@example.org", "sandi-pilihan-saya")
    assert person is not None and person.id == visitor.id
    assert person.has_password and person.email_verified
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "account.claim_requested" in actions and "account.password_reset" in actions
    with pytest.raises(InvalidToken):  # the link worked once
        services.reset_password(session, token, "sandi-lain-lagi-1", signer=signer, max_age=3600)


def test_resending_the_link_to_a_desk_visitor_sends_the_set_password_link(session, outbox, signer):
    visitor = user(session, email="desk@example.org", verified=False)
    visitor.password_hash = unusable_password()
    session.commit()
    services.resend_verification(
        session, "desk@example.org", mailer=outbox, signer=signer, links=LINKS
    )
    token = _token_from_mail(outbox, "/reset/")
    services.reset_password(session, token, "sandi-pilihan-saya", signer=signer, max_age=3600)
    assert services.authenticate(session, "desk@example.org", "sandi-pilihan-saya") is not None


def test_registration_hashes_on_every_path(session, outbox, signer, monkeypatch):
    """No timing oracle: argon2 runs whether the address is new, taken, or unclaimed."""
    desk_visitor = user(session, email="desk@example.org")
    desk_visitor.password_hash = unusable_password()
    user(session, email="known@example.org")
    session.commit()
    calls = []
    real = registration.hash_password
    monkeypatch.setattr(registration, "hash_password", lambda pw: calls.append(pw) or real(pw))
    for address in ("new@example.org", "known@example.org", "desk@example.org"):
        _register(session, outbox, signer, email=address)
    assert calls == [PASSWORD] * 3


def test_an_unusable_password_never_verifies():
    assert not verify_password(unusable_password(), "")
    assert not verify_password("!", "!")
    assert not is_usable(unusable_password()) and is_usable(hash_password("x" * 12))


def test_mail_waits_for_commit(session, outbox, signer):
    """A rolled-back registration sends nothing (mail is an after-commit effect)."""
    from app.mail import Mail, send_after_commit

    send_after_commit(session, outbox, Mail(to="a@example.org", subject="s", text="t"))
    session.rollback()
    session.commit()
    assert outbox.messages() == []


def test_verify_email_once_and_refuse_tampering(session, outbox, signer):
    person = _register(session, outbox, signer)
    token = _token_from_mail(outbox, "/verify/")
    with pytest.raises(InvalidToken):
        services.verify_email(session, token[:-2] + "xx", signer=signer, max_age=3600)
    services.verify_email(session, token, signer=signer, max_age=3600)
    assert person.email_verified
    with pytest.raises(InvalidToken):  # expired
        services.verify_email(session, token, signer=signer, max_age=-1)


def test_verification_link_is_bound_to_the_email(session, outbox, signer):
    person = _register(session, outbox, signer)
    token = _token_from_mail(outbox, "/verify/")
    person.email = "lain@example.org"
    session.commit()
    with pytest.raises(InvalidToken):
        services.verify_email(session, token, signer=signer, max_age=3600)


def test_authenticate(session, outbox, signer):
    _register(session, outbox, signer)
    assert services.authenticate(session, "budi@example.org", "wrong-password") is None
    assert services.authenticate(session, "nobody@example.org", PASSWORD) is None
    person = services.authenticate(session, "BUDI@example.org", PASSWORD)
    assert person is not None and person.last_login_at is not None
    person.active = False
    session.commit()
    assert services.authenticate(session, "budi@example.org", PASSWORD) is None


def test_password_reset_is_single_use(session, outbox, signer):
    _register(session, outbox, signer)
    services.request_password_reset(
        session, "budi@example.org", mailer=outbox, signer=signer, links=LINKS
    )
    token = _token_from_mail(outbox, "/reset/")
    services.reset_password(session, token, "kata-sandi-baru-9", signer=signer, max_age=3600)
    assert services.authenticate(session, "budi@example.org", "kata-sandi-baru-9")
    with pytest.raises(InvalidToken):
        services.reset_password(session, token, "lagi-lagi-baru-9", signer=signer, max_age=3600)


def test_reset_for_unknown_email_is_silent(session, outbox, signer):
    services.request_password_reset(
        session, "ghost@example.org", mailer=outbox, signer=signer, links=LINKS
    )
    assert outbox.messages() == []


def test_api_tokens_are_hashed_revocable_and_owned(session):
    alice, bob = user(session), user(session)
    token, plain = services.create_api_token(session, alice, "skrip")
    assert plain.startswith("pst_") and len(plain) > 40
    stored = session.scalar(select(ApiToken))
    assert stored.token_hash != plain and plain not in stored.token_hash
    assert services.user_for_api_token(session, plain) == alice
    assert services.user_for_api_token(session, plain + "x") is None
    with pytest.raises(UnknownToken):  # Bob cannot revoke Alice's token
        services.revoke_api_token(session, bob, token.id)
    services.revoke_api_token(session, alice, token.id)
    assert services.user_for_api_token(session, plain) is None


def test_token_last_used_is_throttled(session):
    alice = user(session)
    _token, plain = services.create_api_token(session, alice, "skrip")
    t0 = utcnow()
    services.user_for_api_token(session, plain, now=lambda: t0)
    services.user_for_api_token(session, plain, now=lambda: t0 + timedelta(minutes=1))
    assert session.scalar(select(ApiToken)).last_used_at == t0


def test_last_admin_keeps_the_role(session):
    admin = user(session, role=Role.ADMIN)
    with pytest.raises(LastAdmin):
        services.change_role(session, admin.id, Role.OFFICER, actor_id=admin.id)
    with pytest.raises(LastAdmin):
        services.set_active(session, admin.id, False, actor_id=admin.id)
    second = user(session, role=Role.ADMIN)
    services.change_role(session, admin.id, Role.OFFICER, actor_id=second.id)
    assert session.get(User, admin.id).role == Role.OFFICER


def test_changes_leave_an_audit_trail(session):
    admin = user(session, role=Role.ADMIN)
    staff = user(session)
    services.change_role(session, staff.id, Role.RECEPTIONIST, actor_id=admin.id)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "account.role_changed"))
    assert event.actor_id == admin.id and event.subject_id == str(staff.id)
    assert '"to": "receptionist"' in event.detail


def test_admins_hold_every_role(session):
    admin = user(session, role=Role.ADMIN)
    officer = user(session, role=Role.OFFICER)
    assert admin.has_role(Role.HEAD) and officer.has_role(Role.OFFICER)
    assert not officer.has_role(Role.HEAD)
    assert officer.is_staff and not user(session).is_staff
