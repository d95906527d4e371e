"""Forms of the data-rights pages: change the email address, ask for erasure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import _REQUIRED, AccountEmail, _strip
from app.accounts.passwords import MAX_LENGTH
from app.forms import FlaskForm


def _password() -> PasswordField:
    return PasswordField(
        _l("Current password"), validators=[DataRequired(_REQUIRED), Length(max=MAX_LENGTH)]
    )


class EmailChangeForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        validators=[DataRequired(_REQUIRED), AccountEmail(), Length(max=254)],
        filters=[_strip],
    )
    password = _password()
    submit = SubmitField(_l("Send the confirmation link"))


class ErasureForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional)"), validators=[Optional(), Length(max=2000)], filters=[_strip]
    )
    understood = BooleanField(
        _l(
            "I understand that my account will be closed for good and my personal data "
            "erased; records the law requires the office to keep stay, without my name."
        ),
        validators=[DataRequired(_l("Please confirm that you understand."))],
    )
    password = _password()
    submit = SubmitField(_l("Ask for erasure"))
