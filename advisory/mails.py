"""The advisory's mails, in the recipient's language, sent after commit.

Every status change mails the requester; officers get a mail when something is given
to them (an assignment, an escalation, a reply) and with reminders. The office's
default (SMTP when configured, else the outbox folder) carries them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.mail import current_mailer, mail_to, send_after_commit


def send(
    session: Session,
    user: User | None,
    subject: Any,
    template: str,
    *,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    **context: Any,
) -> None:
    """Mail ``user`` once ``session`` commits (nobody to mail: nothing happens)."""
    if user is None or not user.email or not user.active:
        return
    mail = mail_to(
        user, subject, f"advisory/mail/{template}.txt", attachments=attachments, **context
    )
    send_after_commit(session, current_mailer(), mail)
