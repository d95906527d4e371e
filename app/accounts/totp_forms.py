"""Forms of two-factor sign-in: the code at sign-in, the first code of enrolment,
turning it off (password and code)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.accounts.passwords import MAX_LENGTH
from app.forms import FlaskForm

_REQUIRED = _l("This field is required.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _code_field(label: Any, description: Any) -> StringField:
    # Recovery codes are 11 characters; a little room for spaces a person types.
    return StringField(
        label,
        validators=[DataRequired(_REQUIRED), Length(max=32)],
        filters=[_strip],
        description=description,
    )


class CodeForm(FlaskForm):
    code = _code_field(
        _l("Code"),
        _l("The six digits your authenticator app shows, or one of your recovery codes."),
    )
    submit = SubmitField(_l("Verify"))


class EnrolForm(FlaskForm):
    code = _code_field(_l("Code"), _l("The six digits your authenticator app shows now."))
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class DisableForm(FlaskForm):
    password = PasswordField(
        _l("Current password"), validators=[DataRequired(_REQUIRED), Length(max=MAX_LENGTH)]
    )
    code = _code_field(
        _l("Code"),
        _l("The six digits your authenticator app shows, or one of your recovery codes."),
    )
    submit = SubmitField(_l("Turn off two-factor sign-in"))
