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


def claim_mail(user: User, link: str) -> Mail:
    """To a visitor registered at the desk (no password) whose address was used to
    register online: the link to choose a password."""
    return mail_to(user, _l("Choose a password for your account"), "mail/claim.txt", link=link)


def already_registered_mail(user: User, login_link: str, forgot_link: str) -> Mail:
    """To the owner of an address someone tried to register again."""
    return mail_to(
        user,
        _l("Someone tried to register with your email address"),
        "mail/already_registered.txt",
        login_link=login_link,
        forgot_link=forgot_link,
    )
