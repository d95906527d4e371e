"""Showing a person's whole ID number: only on an explicit request, always audited.

Pages, exports and mails show ID numbers masked (:func:`~app.accounts.personal_data.mask_nik`).
The officer who checks a microdata buyer's data-use agreement (SPPD) against their
identity card, and admins, may ask to see the whole number; each time is recorded: who,
whose, when and why (the order).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.errors import RevealRefused
from app.accounts.models import Role, User
from app.accounts.personal_data import Keyring
from app.accounts.services.trail import trail
from app.uow import transactional

#: Who may see a whole ID number (the officer verifying an SPPD; admins hold every role).
REVEAL_ROLES = (Role.OFFICER,)


@transactional
def reveal_id_number(
    session: Session, person: User, *, actor: User, context: dict[str, Any]
) -> str | None:
    """``person``'s whole ID number for ``actor``, recorded in the audit trail first."""
    if not actor.has_role(*REVEAL_ROLES):
        raise RevealRefused()
    trail(session, "privacy.id_number_revealed", person, actor_id=actor.id, detail=context)
    return person.id_number


# The stored columns as they are (tokens), past the model's decrypting type.
_stored = sa.table("users", sa.column("id"), sa.column("id_number"), sa.column("id_number_hash"))
_secrets = sa.table("two_factor", sa.column("user_id"), sa.column("secret"))


@transactional
def rotate_id_numbers(session: Session, keys: Keyring) -> int:
    """Encrypt every stored ID number (and authenticator secret) again, and hash it,
    with ``keys``' current key (each is read with whichever key of ``keys`` opens it).
    Returns how many ID numbers."""
    rows = session.execute(
        sa.select(_stored.c.id, _stored.c.id_number).where(_stored.c.id_number.is_not(None))
    ).all()
    for row in rows:
        plain = keys.decrypt(row.id_number)
        session.execute(
            _stored.update()
            .where(_stored.c.id == row.id)
            .values(id_number=keys.encrypt(plain), id_number_hash=keys.lookup_hash(plain))
        )
    # Authenticator secrets are encrypted with the same keys (they are not counted:
    # the command reports ID numbers).
    secrets = session.execute(sa.select(_secrets.c.user_id, _secrets.c.secret)).all()
    for row in secrets:
        session.execute(
            _secrets.update()
            .where(_secrets.c.user_id == row.user_id)
            .values(secret=keys.encrypt(keys.decrypt(row.secret)))
        )
    return len(rows)
