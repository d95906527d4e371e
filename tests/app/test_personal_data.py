"""ID numbers at rest: encrypted, found by their keyed hash, re-keyed by a command."""

from __future__ import annotations

import sqlalchemy as sa
from factories import user

from app.accounts.models import TwoFactor, User, has_id_number
from app.accounts.personal_data import EXTENSION, keyring, mask_nik
from desk import visitors

_stored = sa.table("users", sa.column("id"), sa.column("id_number"), sa.column("id_number_hash"))


def _raw(session, person):
    return session.execute(
        sa.select(_stored.c.id_number, _stored.c.id_number_hash).where(_stored.c.id == person.id)
    ).one()


def test_the_id_number_is_stored_encrypted_and_found_by_its_hash(app, session):
    person = user(session, id_number="1771012345678901")
    token, digest = _raw(session, person)
    assert "1771012345678901" not in token and "1771012345678901" not in digest
    assert len(digest) == 64
    session.expire_all()
    assert session.get(User, person.id).id_number == "1771012345678901"
    assert visitors.lookup(session, "1771 0123 4567 8901").id == person.id
    assert session.scalar(sa.select(User.id).where(has_id_number("1771012345678901"))) == person.id
    # Changing or clearing the number keeps the hash in step.
    person.id_number = "1771012345678902"
    session.commit()
    assert visitors.lookup(session, "1771012345678901") is None
    assert visitors.lookup(session, "1771012345678902").id == person.id
    person.id_number = None
    session.commit()
    assert _raw(session, person) == (None, None)


def test_two_encryptions_of_one_number_differ_but_hash_alike(app):
    keys = keyring("k1")
    assert keys.encrypt("1771012345678901") != keys.encrypt("1771012345678901")
    assert keys.lookup_hash("1771012345678901") == keys.lookup_hash("1771012345678901")
    assert keys.lookup_hash("1771012345678901") != keyring("k2").lookup_hash("1771012345678901")


def test_mask_nik_keeps_the_first_and_last_four():
    assert mask_nik("3171234567890001") == "3171********0001"
    assert mask_nik("A1234567") == "******67"  # a passport: its ends would show it all
    assert mask_nik(None) == mask_nik("") == ""


def _raw_secret(session, person):
    table = sa.table("two_factor", sa.column("user_id"), sa.column("secret"))
    return session.scalar(sa.select(table.c.secret).where(table.c.user_id == person.id))


def test_the_authenticator_secret_is_stored_encrypted(app, session):
    from app.accounts.services import two_factor

    person = user(session)
    secret = two_factor.start_enrolment(session, person)
    session.commit()
    stored = _raw_secret(session, person)
    assert stored and secret not in stored  # whoever reads the table cannot compute codes
    session.expire_all()
    assert session.get(TwoFactor, person.id).secret == secret


def test_rotate_key_re_encrypts_every_number_with_the_new_key(app, session):
    from app.accounts.services import two_factor

    first = user(session, id_number="1771012345678901")
    second = user(session, id_number="A7654321")
    secret = two_factor.start_enrolment(session, second)
    session.commit()
    secret_before = _raw_secret(session, second)
    before = _raw(session, first)
    # The new key, with the previous one (the test app's derived default) still listed.
    app.config["PERSONAL_DATA_KEY"] = "a-new-key-" + "y" * 32
    app.config["PERSONAL_DATA_OLD_KEYS"] = [app.config["SECRET_KEY"]]
    app.extensions[EXTENSION] = keyring(
        app.config["PERSONAL_DATA_KEY"], app.config["PERSONAL_DATA_OLD_KEYS"]
    )
    session.expire_all()
    # Before the rotation: still read, and still found by the old hash.
    assert session.get(User, first.id).id_number == "1771012345678901"
    assert visitors.lookup(session, "1771012345678901").id == first.id

    result = app.test_cli_runner().invoke(args=["privacy", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 ID numbers encrypted")
    after = _raw(session, first)
    assert after[0] != before[0] and after[1] != before[1]

    # The old key dropped: everything opens and is found with the new key alone.
    app.extensions[EXTENSION] = keyring(app.config["PERSONAL_DATA_KEY"])
    session.expire_all()
    assert session.get(User, first.id).id_number == "1771012345678901"
    assert session.get(User, second.id).id_number == "A7654321"
    assert visitors.lookup(session, "1771012345678901").id == first.id
    # The authenticator secret too: re-encrypted, and it opens with the new key alone.
    assert _raw_secret(session, second) != secret_before
    assert session.get(TwoFactor, second.id).secret == secret


def test_rotate_key_without_the_old_key_says_which_setting_to_fix(app, session):
    user(session, id_number="1771012345678901")
    app.extensions[EXTENSION] = keyring("a-key-nobody-used-" + "z" * 32)
    result = app.test_cli_runner().invoke(args=["privacy", "rotate-key"])
    assert result.exit_code == 1
    assert "PST_PERSONAL_DATA_OLD_KEYS" in result.output
    assert "1771012345678901" not in result.output
