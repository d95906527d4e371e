"""HTML forms of the reading room and the softcopy desk."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.forms import FlaskForm
from app.idempotency import OnceForm
from catalog.models import Access
from library.models import HoldingLocation, HoldingStatus

REQUIRED = _l("This field is required.")
KAT_NO_HELP = _l("For example 1102001.17")

LOCATION_CHOICES = [
    SelectChoice(HoldingLocation.STORAGE.value, _l("Storage room (an officer fetches it)")),
    SelectChoice(HoldingLocation.DISPLAY.value, _l("Reading-room shelf")),
]
STATUS_CHOICES = [
    SelectChoice(HoldingStatus.AVAILABLE.value, _l("Available")),
    SelectChoice(HoldingStatus.MISSING.value, _l("Missing")),
    SelectChoice(HoldingStatus.WITHDRAWN.value, _l("Withdrawn")),
]
IN_USE_CHOICE = SelectChoice(
    HoldingStatus.IN_USE.value, _l("With a reader (changes when the copy is returned)")
)
SOFTCOPY_ACCESS_CHOICES = [
    SelectChoice(Access.READ_ONLY.value, _l("Read online only (the requester may download it)")),
    SelectChoice(Access.OPEN.value, _l("Free download for everyone")),
    SelectChoice(Access.SALE.value, _l("For sale only (the requester may download it)")),
]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _blank_none(value: Any) -> Any:
    return value or None


class ConfirmForm(FlaskForm):
    """A button with nothing to fill in (the CSRF token only)."""


class ReadingRequestForm(FlaskForm):
    note = StringField(
        _l("Note for the officer (optional)"),
        validators=[Optional(), Length(max=300)],
        filters=[_strip, _blank_none],
    )
    submit = SubmitField(_l("Ask for a copy in the reading room"))


class WalkInForm(FlaskForm):
    # Field names of their own: the form shares a page with the holding form.
    reader_email = EmailField(
        _l("Reader's email address"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        description=_l("The reader needs an account; they can register at the desk."),
        filters=[_strip],
    )
    reader_note = StringField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=300)],
        filters=[_strip, _blank_none],
    )
    walk_in_submit = SubmitField(_l("Ask for a copy for this reader"))


class ReadyForm(FlaskForm):
    holding_id = IntegerField(_l("Copy"), validators=[Optional()])


class HoldingForm(FlaskForm):
    inventory_no = StringField(
        _l("Inventory number"),
        validators=[DataRequired(REQUIRED), Length(max=40)],
        filters=[_strip],
    )
    barcode = StringField(
        _l("Barcode"), validators=[Optional(), Length(max=64)], filters=[_strip, _blank_none]
    )
    location = SelectField(
        _l("Location"), choices=LOCATION_CHOICES, default=HoldingLocation.STORAGE.value
    )
    shelf = StringField(
        _l("Shelf"),
        validators=[Optional(), Length(max=60)],
        description=_l("For example R2-B3"),
        filters=[_strip, _blank_none],
    )
    note = StringField(
        _l("Note"), validators=[Optional(), Length(max=300)], filters=[_strip, _blank_none]
    )
    submit = SubmitField(_l("Add copy"))

    def values(self) -> dict[str, Any]:
        return {
            name: getattr(self, name).data
            for name in ("inventory_no", "barcode", "location", "shelf", "note")
        }


class HoldingEditForm(HoldingForm):
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    submit = SubmitField(_l("Save"))

    def allow_in_use(self) -> None:
        """A copy with a reader shows that status (it cannot be chosen by hand)."""
        self.status.choices = [IN_USE_CHOICE, *STATUS_CHOICES]

    def values(self) -> dict[str, Any]:
        return {**super().values(), "status": self.status.data}


class SoftcopyRequestForm(OnceForm, FlaskForm):
    title = StringField(
        _l("Title of the publication"),
        validators=[DataRequired(REQUIRED), Length(max=500)],
        filters=[_strip],
    )
    kat_no = StringField(
        _l("Catalogue number, if you know it"),
        validators=[Optional(), Length(max=32)],
        description=KAT_NO_HELP,
        filters=[_strip, _blank_none],
    )
    purpose = TextAreaField(
        _l("What do you need it for?"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        description=_l("For example: thesis research on poverty in Bengkulu, 2015–2020."),
        filters=[_strip],
    )
    submit = SubmitField(_l("Send request"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason, for the reader"),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
        filters=[_strip],
    )
    submit = SubmitField(_l("Decline request"))


class AttachForm(FlaskForm):
    file = FileField(_l("PDF file"), validators=[FileRequired(_l("Choose a PDF file."))])
    title = StringField(
        _l("Title in the catalogue"),
        validators=[DataRequired(REQUIRED), Length(max=500)],
        filters=[_strip],
    )
    kat_no = StringField(
        _l("Catalogue number"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{5,8}(\.[0-9]{1,4})?$", message=KAT_NO_HELP),
        ],
        filters=[_strip, _blank_none],
    )
    access = SelectField(
        _l("Access"), choices=SOFTCOPY_ACCESS_CHOICES, default=Access.READ_ONLY.value
    )
    submit = SubmitField(_l("Attach and process"))
