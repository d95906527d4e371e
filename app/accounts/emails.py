"""Account mails, rendered in the recipient's language from templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.mail import Mail, mail_to


def verification_mail(user: User, link: str) -> Mail:
    return mail_to(user, _l("Verify your email address"), "mail/verify.txt", link=link)


def reset_mail(user: User, link: str) -> Mail:
    return mail_to(user, _l("Reset your password"), "mail/reset.txt", link=link)


def staff_welcome_mail(user: User, link: str) -> Mail:
    return mail_to(user, _l("Your staff account"), "mail/staff_welcome.txt", link=link)
