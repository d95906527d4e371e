"""HTML forms of the catalogue's officer pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.forms import FlaskForm
from catalog.models import Access, Kind

ACCESS_CHOICES = [
    SelectChoice(Access.OPEN.value, _l("Free download")),
    SelectChoice(Access.READ_ONLY.value, _l("Read online only")),
    SelectChoice(Access.SALE.value, _l("For sale only")),
]
KIND_CHOICES = [
    SelectChoice(Kind.PUBLICATION.value, _l("Publication")),
    SelectChoice(Kind.BRS.value, _l("Official statistical news (BRS)")),
]
LANGUAGE_CHOICES = [SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _blank_none(value: Any) -> Any:
    return value or None


class MetadataForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=500)], filters=[_strip])
    title_en = StringField(
        _l("English title"), validators=[Optional(), Length(max=500)], filters=[_strip, _blank_none]
    )
    subtitle = StringField(
        _l("Subtitle"), validators=[Optional(), Length(max=500)], filters=[_strip, _blank_none]
    )
    kat_no = StringField(
        _l("Catalogue number"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{5,8}(\.[0-9]{1,4})?$", message=_l("For example 1102001.17")),
        ],
        filters=[_strip, _blank_none],
    )
    pub_no = StringField(
        _l("Publication number"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{3,6}\.[0-9]{2,6}$", message=_l("For example 17560.2301")),
        ],
        filters=[_strip, _blank_none],
    )
    issn = StringField(
        "ISSN",
        validators=[
            Optional(),
            Regexp(r"^[0-9]{4}-[0-9]{3}[0-9Xx]$", message=_l("For example 2088-5032")),
        ],
        filters=[_strip, _blank_none],
    )
    isbn = StringField(
        "ISBN", validators=[Optional(), Length(max=20)], filters=[_strip, _blank_none]
    )
    release_date = DateField(_l("Release date"), validators=[Optional()])
    release_time = TimeField(
        _l("Release time (WIB)"),
        validators=[Optional()],
        description=_l(
            "Leave empty for the usual release time. Before the release date and time the "
            "publication is under embargo: only catalogue staff can see it."
        ),
    )
    period = StringField(
        _l("Period covered"), validators=[Optional(), Length(max=64)], filters=[_strip, _blank_none]
    )
    subjects = StringField(
        _l("Subjects"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Separate subjects with commas."),
        filters=[_strip],
    )
    abstract = TextAreaField(
        _l("Abstract"), validators=[Optional(), Length(max=20000)], filters=[_strip, _blank_none]
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="id")
    kind = SelectField(_l("Type"), choices=KIND_CHOICES, default=Kind.PUBLICATION.value)
    access = SelectField(_l("Access"), choices=ACCESS_CHOICES, default=Access.OPEN.value)
    printed = BooleanField(_l("Printed copies exist"))

    def metadata(self) -> dict[str, Any]:
        data = {
            name: getattr(self, name).data
            for name in (
                "title",
                "title_en",
                "subtitle",
                "kat_no",
                "pub_no",
                "issn",
                "isbn",
                "period",
                "abstract",
                "language",
                "kind",
                "access",
                "printed",
            )
        }
        data["rl_date"] = self.release_date.data
        data["release_time"] = self.release_time.data
        data["subjects"] = [s.strip() for s in (self.subjects.data or "").split(",") if s.strip()]
        return data


class UploadForm(MetadataForm):
    file = FileField(_l("PDF file"), validators=[FileRequired(_l("Choose a PDF file."))])
    submit = SubmitField(_l("Upload and process"))


def _series_choice(value: Any) -> int | None:
    """The series select's value: an id, or None for "no series" (the empty option)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice: the select refuses it


class EditForm(MetadataForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("This field is required.")), Length(max=500)],
        filters=[_strip],
    )
    # Choices are the series in the catalogue, set by the view (:meth:`set_series`).
    series_id = SelectField(_l("Series"), coerce=_series_choice, validate_choice=True)
    new_series = StringField(
        _l("Or a new series"),
        validators=[Optional(), Length(max=300)],
        description=_l('The title without the year, e.g. "Provinsi Bengkulu Dalam Angka".'),
        filters=[_strip, _blank_none],
    )
    submit = SubmitField(_l("Save"))

    def set_series(self, series: list[Any]) -> None:
        self.series_id.choices = [
            SelectChoice(None, _l("No series")),  # type: ignore[arg-type]
            *(SelectChoice(s.id, s.title) for s in series),
        ]

    def metadata(self) -> dict[str, Any]:
        data = super().metadata()
        data["series_id"] = self.series_id.data
        data["new_series"] = self.new_series.data
        return data


class RecordForm(EditForm):
    """A printed publication catalogued before it has a file."""

    submit = SubmitField(_l("Add to the catalogue"))

    def metadata(self) -> dict[str, Any]:
        data = super().metadata()
        if data["series_id"] is None:
            del data["series_id"]  # none picked: the record joins the series its title names
        return data


class ConfirmForm(FlaskForm):
    """A button with nothing to fill in (the CSRF token only)."""


class WithdrawForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(_l("This field is required.")), Length(max=500)],
        filters=[_strip],
    )
    submit = SubmitField(_l("Withdraw publication"))


class CorrectForm(FlaskForm):
    """A corrected file that replaces a publication's file as its next version."""

    file = FileField(_l("Corrected PDF file"), validators=[FileRequired(_l("Choose a PDF file."))])
    reason = StringField(
        _l("What was corrected"),
        validators=[DataRequired(_l("This field is required.")), Length(max=500)],
        filters=[_strip],
    )
