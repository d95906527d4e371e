"""Account mails, rendered in the recipient's language from templates."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.mail import Mail


def _locale(user: User) -> str:
    from flask import current_app

    return user.locale or current_app.config["DEFAULT_LOCALE"]


def verification_mail(user: User, link: str) -> Mail:
    with force_locale(_locale(user)):
        return Mail(
            to=user.email,
            subject=_("Verify your email address"),
            text=render_template("mail/verify.txt", user=user, link=link),
        )


def reset_mail(user: User, link: str) -> Mail:
    with force_locale(_locale(user)):
        return Mail(
            to=user.email,
            subject=_("Reset your password"),
            text=render_template("mail/reset.txt", user=user, link=link),
        )


def staff_welcome_mail(user: User, link: str) -> Mail:
    with force_locale(_locale(user)):
        return Mail(
            to=user.email,
            subject=_("Your staff account"),
            text=render_template("mail/staff_welcome.txt", user=user, link=link),
        )
