"""HTML forms of the scanning pages and of readers' scan requests."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.forms import FlaskForm
from app.idempotency import OnceForm
from catalog.models import Access
from scanning.pages import RESOLUTIONS
from scanning.requests import InvalidPages, parse_pages

REQUIRED = _l("This field is required.")

SOURCE_CHOICES = [
    SelectChoice("flatbed", _l("Flatbed (glass)")),
    SelectChoice("adf", _l("Document feeder")),
    SelectChoice("adf_duplex", _l("Document feeder, both sides")),
]
MODE_CHOICES = [
    SelectChoice("gray", _l("Grey (text and tables)")),
    SelectChoice("color", _l("Colour (maps, charts, photos)")),
    SelectChoice("lineart", _l("Black and white")),
]
ACCESS_CHOICES = [
    SelectChoice(Access.OPEN.value, _l("Free download for everyone")),
    SelectChoice(Access.READ_ONLY.value, _l("Read online only")),
    SelectChoice(Access.SALE.value, _l("For sale only")),
]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _blank_none(value: Any) -> Any:
    return value or None


class ConfirmForm(FlaskForm):
    """A button with nothing to fill in (the CSRF token only)."""


class ScanSettingsForm(FlaskForm):
    device = SelectField(_l("Scanner"), validators=[DataRequired(REQUIRED)], choices=[])
    source = SelectField(_l("Paper source"), choices=SOURCE_CHOICES, default="flatbed")
    mode = SelectField(_l("Colour"), choices=MODE_CHOICES, default="gray")
    resolution = SelectField(
        _l("Resolution"),
        choices=[SelectChoice(str(r), f"{r} dpi") for r in RESOLUTIONS],
        default="300",
        description=_l("300 dpi suits text; 400 dpi or more for small print and maps."),
    )
    pages = IntegerField(
        _l("Number of pages (optional)"),
        validators=[Optional(), NumberRange(1, 1000)],
        description=_l("From the feeder: leave empty to scan until it is empty."),
    )
    submit = SubmitField(_l("Scan"))

    def values(self) -> dict[str, Any]:
        return {
            "device": self.device.data,
            "source": self.source.data,
            "mode": self.mode.data,
            "resolution": int(self.resolution.data or 300),
            "pages": self.pages.data,
        }


class NewBatchForm(FlaskForm):
    title = StringField(
        _l("Title of the new publication (you can give it later)"),
        validators=[Optional(), Length(max=500)],
        filters=[_strip, _blank_none],
    )
    submit = SubmitField(_l("Start scanning"))


class FinishForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[Optional(), Length(max=500)], filters=[_strip, _blank_none]
    )
    kat_no = StringField(
        _l("Catalogue number (optional)"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{5,8}(\.[0-9]{1,4})?$", message=_l("For example 1102001.17")),
        ],
        filters=[_strip, _blank_none],
    )
    access = SelectField(_l("Access"), choices=ACCESS_CHOICES, default=Access.OPEN.value)
    submit = SubmitField(_l("Finish: recognise text and add to the catalogue"))


class ScanRequestForm(OnceForm, FlaskForm):
    pages = StringField(
        _l("Pages to scan"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l("Page numbers as printed, for example 12-20, 31."),
        filters=[_strip],
    )
    purpose = TextAreaField(
        _l("What do you need them for?"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        filters=[_strip],
    )
    submit = SubmitField(_l("Ask for the scan"))

    def validate_pages(self, field: Any) -> None:
        try:
            parse_pages(
                field.data or "", max_pages=int(current_app.config["SCAN_REQUEST_MAX_PAGES"])
            )
        except InvalidPages as exc:
            raise ValidationError(str(exc.message)) from None


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (sent to the reader)"),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
        filters=[_strip],
    )
