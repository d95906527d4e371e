"""The signed links that account mails carry (verify an address, choose a password)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.accounts.models import User
from app.accounts.tokens import LinkSigner, password_fingerprint

LinkMaker = Callable[[str], str]


@dataclass(frozen=True)
class Links:
    """Builds the absolute links that mails carry, given a signed token."""

    verify: LinkMaker
    reset: LinkMaker
    login: str = ""  # the sign-in page
    forgot: str = ""  # the "forgot password" page


def reset_token(signer: LinkSigner, user: User) -> str:
    """A password link bound to the current password, so it works once."""
    return signer.dumps("reset", {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
