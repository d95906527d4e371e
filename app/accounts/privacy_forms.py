"""Forms of the privacy notice: the number of the version a person was shown (carried by
every form that asks for consent), accepting a new version, publishing one."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.accounts.services.consent import MAX_BODY, MAX_CHANGES
from app.forms import FlaskForm

_REQUIRED = _l("This field is required.")


def notice_field() -> HiddenField:
    """The version of the notice shown with a consent checkbox (its page fills it in), so
    that the consent is recorded for the text the person could read, even if a newer
    one was published while the form was open."""
    return HiddenField(
        validators=[Optional(), Regexp(r"^[0-9]{1,6}$", message=_l("Reload the page."))]
    )


def notice_number(field: HiddenField) -> int | None:
    """The version number a form carried (None: the current one)."""
    return int(field.data) if field.data else None


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AcceptNoticeForm(FlaskForm):
    accept = BooleanField(
        _l("I have read the privacy notice and agree that BPS processes my data as it says."),
        validators=[DataRequired(_l("Please tick the box to accept the privacy notice."))],
    )
    notice = notice_field()
    next = HiddenField()
    submit = SubmitField(_l("Accept and continue"))


class PublishNoticeForm(FlaskForm):
    body_id = TextAreaField(
        _l("Notice in Indonesian"),
        validators=[DataRequired(_REQUIRED), Length(max=MAX_BODY)],
        filters=[_strip],
        description=_l(
            "Plain text. A line starting with “## ” is a heading, a line starting with "
            "“- ” a list item; a blank line ends a paragraph."
        ),
    )
    body_en = TextAreaField(
        _l("Notice in English"),
        validators=[DataRequired(_REQUIRED), Length(max=MAX_BODY)],
        filters=[_strip],
    )
    changes_id = TextAreaField(
        _l("What changed, in Indonesian"),
        validators=[DataRequired(_REQUIRED), Length(max=MAX_CHANGES)],
        filters=[_strip],
        description=_l("Shown to every service user, who is asked to accept the new version."),
    )
    changes_en = TextAreaField(
        _l("What changed, in English"),
        validators=[DataRequired(_REQUIRED), Length(max=MAX_CHANGES)],
        filters=[_strip],
    )
    submit = SubmitField(_l("Publish this version"))
