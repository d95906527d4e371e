"""HTML forms of the front desk (WTForms; labels and messages translatable).

The guest-book forms reuse the registration profile form, so an ID number or phone
number is checked here exactly as at registration.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.forms import ChoiceField, ProfileForm
from app.accounts.privacy_forms import notice_field
from app.forms import FlaskForm
from app.i18n import WIB
from app.idempotency import OnceForm
from desk.guestbook import PURPOSE_LABELS
from desk.ikm import ELEMENT_LABELS, SCORE_LABELS
from desk.models import ELEMENTS, Outcome, Purpose, RecordChannel, ServiceType
from desk.queue import SERVICE_LABELS
from desk.records import CHANNEL_LABELS, OUTCOME_LABELS

_REQUIRED = _l("This field is required.")

SERVICE_CHOICES = [SelectChoice(s.value, SERVICE_LABELS[s]) for s in ServiceType]
PURPOSE_CHOICES = [SelectChoice(p.value, PURPOSE_LABELS[p]) for p in Purpose]
OUTCOME_CHOICES = [SelectChoice(o.value, OUTCOME_LABELS[o]) for o in Outcome]


def _score_label(n: int) -> str:
    return f"{n} — {SCORE_LABELS[n]}"


# Lazy: the label is read when the form renders, in that request's language.
SCORE_CHOICES = [SelectChoice(str(n), LazyString(_score_label, n)) for n in (1, 2, 3, 4)]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# --- signed hidden values --------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"desk.{salt}")


def sign(salt: str, value: Any) -> str:
    return _serializer(salt).dumps(value)


def unsign(salt: str, token: str | None, max_age: int) -> Any:
    if not token:
        return None
    try:
        return _serializer(salt).loads(token, max_age=max_age)
    except BadSignature:
        return None


def sign_moment(moment: datetime) -> str:
    """A tamper-proof "form opened at" value for the time standards."""
    return sign("opened", moment.isoformat())


def opened_at(token: str | None, max_age: int = 6 * 3600) -> datetime | None:
    raw = unsign("opened", token, max_age)
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


class MultiCheckboxField(SelectMultipleField):  # type: ignore[misc]  # untyped upstream
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# --- the guest book --------------------------------------------------------------------


class LookupForm(FlaskForm):
    key = StringField(
        _l("ID number, phone number or email"),
        validators=[DataRequired(_REQUIRED), Length(max=254)],
        filters=[_strip],
        description=_l("The number on your identity card, your phone number or your email."),
    )
    started = HiddenField()
    submit = SubmitField(_l("Find me"))


class _VisitFields:
    services = MultiCheckboxField(
        _l("Services you need"),
        choices=SERVICE_CHOICES,
        validators=[DataRequired(_l("Choose at least one service."))],
    )
    purpose = ChoiceField(
        _l("Purpose of your visit"), choices=PURPOSE_CHOICES, validators=[DataRequired(_REQUIRED)]
    )
    need = TextAreaField(
        _l("What are you looking for? (optional)"),
        validators=[Optional(), Length(max=2000)],
        filters=[_strip],
    )
    appointment_code = StringField(
        _l("Appointment code (if you have one)"),
        validators=[Optional(), Length(max=12)],
        filters=[_strip],
    )
    started = HiddenField()


#: The guest book's consent to the privacy notice (the view requires it when asked).
_CONSENT_LABEL = _l("I agree that BPS processes my data to provide statistical services.")
_CONSENT_MISSING = _l("Please agree in order to continue.")


class ReturningVisitForm(_VisitFields, FlaskForm):
    visitor = HiddenField()
    # Shown, and required by the view, only when the visitor has not agreed to the
    # current privacy notice (a new version since their last visit, or none yet).
    consent = BooleanField(_CONSENT_LABEL)
    notice = notice_field()
    submit = SubmitField(_l("Take a queue number"))

    def require_consent(self) -> bool:
        """The visitor was asked: without the ticked box the form is refused."""
        if self.consent.data:
            return True
        self.consent.errors = [*self.consent.errors, str(_CONSENT_MISSING)]
        return False


class NewVisitorForm(_VisitFields, ProfileForm):
    # Optional: the profile's phone and ID number (both required) find the visitor again.
    email = EmailField(
        _l("Email (optional)"),
        validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=254)],
        filters=[_strip],
        description=_l(
            "Without an email we find you next time by your ID or phone number; with one "
            "you can also use our website."
        ),
    )
    consent = BooleanField(_CONSENT_LABEL, validators=[DataRequired(_CONSENT_MISSING)])
    notice = notice_field()
    submit = SubmitField(_l("Take a queue number"))


#: The receptionist fills the guest book for someone else: its questions are asked
#: about "the visitor", not "you" (field name → label, description).
_STAFF_WORDING: dict[str, tuple[Any, Any]] = {
    "key": (
        _l("Visitor's ID number, phone number or email"),
        _l("The number on the visitor's identity card, their phone number or their email."),
    ),
    "services": (_l("Services the visitor needs"), None),
    "purpose": (_l("Purpose of the visit"), None),
    "need": (_l("What is the visitor looking for? (optional)"), None),
    "appointment_code": (_l("Appointment code (if the visitor has one)"), None),
    "email": (
        _l("Email (optional)"),
        _l("Without an email the visitor is found next time by ID or phone number."),
    ),
    "consent": (
        _l("The visitor agrees that BPS processes their data to provide statistical services."),
        None,
    ),
}
_STAFF_SUBMIT = {
    "LookupForm": _l("Find the visitor"),
    "ReturningVisitForm": _l("Issue the queue numbers"),
    "NewVisitorForm": _l("Register and issue the queue numbers"),
}


def staff_wording(form: FlaskForm) -> FlaskForm:
    """Word a guest-book form for the receptionist (labels about the visitor)."""
    for name, (label, description) in _STAFF_WORDING.items():
        field = getattr(form, name, None)
        if field is not None:
            field.label.text = label
            if description is not None or field.description:
                field.description = description or ""
    submit = _STAFF_SUBMIT.get(type(form).__name__)
    if submit is not None:
        form.submit.label.text = submit
    return form


class TicketForm(FlaskForm):
    """The receptionist's quick number, without a guest-book entry."""

    service = SelectField(_l("Service"), choices=SERVICE_CHOICES)
    submit = SubmitField(_l("Print a number"))


class KioskEnrolForm(FlaskForm):
    name = StringField(
        _l("Name of this device"),
        validators=[DataRequired(_REQUIRED), Length(max=80)],
        filters=[_strip],
        description=_l(
            "So that you recognise it in the list, for example: Tablet at the entrance."
        ),
    )
    submit = SubmitField(_l("Enrol this browser as a kiosk"))


class ConfirmEmailForm(FlaskForm):
    submit = SubmitField(_l("Confirm my email address"))


# --- ratings ---------------------------------------------------------------------------


class RateLookupForm(FlaskForm):
    """The kiosk's rating opens with the ticket's secret code; its number alone, which
    anyone can read off the board, does not."""

    code = StringField(
        _l("Rating code on your ticket"),
        validators=[DataRequired(_REQUIRED), Length(max=20)],
        filters=[_strip],
        description=_l("Printed under the QR code of your ticket, for example KM7C-4XPA."),
    )
    submit = SubmitField(_l("Rate this service"))


def _rating_form() -> type[FlaskForm]:
    fields: dict[str, Any] = {
        e: RadioField(
            ELEMENT_LABELS[e], choices=SCORE_CHOICES, validators=[InputRequired(_REQUIRED)]
        )
        for e in ELEMENTS
    }
    fields["comment"] = TextAreaField(
        _l("Comments and suggestions (optional)"),
        validators=[Optional(), Length(max=2000)],
        filters=[_strip],
    )
    fields["started"] = HiddenField()
    fields["submit"] = SubmitField(_l("Send my rating"))
    return type("RatingForm", (FlaskForm,), fields)


RatingForm = _rating_form()


# --- the desk console ------------------------------------------------------------------


class ConsoleForm(FlaskForm):
    desk = StringField(
        _l("Desk"),
        validators=[DataRequired(_REQUIRED), Length(max=20)],
        filters=[_strip],
        description=_l("As shown on the display board, for example 1 or Library."),
    )
    services = MultiCheckboxField(
        _l("Queues served at this desk"),
        choices=SERVICE_CHOICES,
        validators=[DataRequired(_l("Choose at least one service."))],
    )
    submit = SubmitField(_l("Open the desk"))


class FinishForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES, default=Outcome.SERVED.value)
    products = TextAreaField(
        _l("Products given (one per line)"),
        validators=[Optional(), Length(max=4000)],
        filters=[_strip],
    )
    note = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)], filters=[_strip])
    submit = SubmitField(_l("Finish and record"))


class TransferForm(FlaskForm):
    to_service = SelectField(_l("Transfer to"), choices=SERVICE_CHOICES)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)], filters=[_strip])
    submit = SubmitField(_l("Transfer"))


class ActionForm(FlaskForm):
    """A POST with a CSRF token (call next, recall, start, skip)."""

    submit = SubmitField(_l("Confirm"))


# --- records ---------------------------------------------------------------------------


class RecordSearchForm(FlaskForm):
    q = StringField(_l("Words"), validators=[Optional(), Length(max=200)], filters=[_strip])
    service = SelectField(
        _l("Service"), choices=[SelectChoice("", _l("All services")), *SERVICE_CHOICES]
    )
    channel = SelectField(
        _l("Channel"),
        choices=[
            SelectChoice("", _l("All channels")),
            *(SelectChoice(c.value, CHANNEL_LABELS[c]) for c in RecordChannel),
        ],
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Search"))


def _wib_datetime(field: DateField, clock: TimeField) -> datetime | None:
    if field.data is None or clock.data is None:
        return None
    return datetime.combine(field.data, clock.data, WIB)


class RecordForm(FlaskForm):
    service = SelectField(_l("Service"), choices=SERVICE_CHOICES)
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES)
    desk = StringField(_l("Desk"), validators=[Optional(), Length(max=20)], filters=[_strip])
    start_day = DateField(_l("Start date"), validators=[InputRequired(_REQUIRED)])
    start_time = TimeField(_l("Start time (WIB)"), validators=[InputRequired(_REQUIRED)])
    end_day = DateField(_l("End date"), validators=[InputRequired(_REQUIRED)])
    end_time = TimeField(_l("End time (WIB)"), validators=[InputRequired(_REQUIRED)])
    products = TextAreaField(
        _l("Products given (one per line)"),
        validators=[Optional(), Length(max=4000)],
        filters=[_strip],
    )
    note = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)], filters=[_strip])
    submit = SubmitField(_l("Save correction"))

    def validate_end_time(self, field: TimeField) -> None:
        start, end = self.started_at(), self.ended_at()
        if start and end and end < start:
            raise ValidationError(_l("The end of a service cannot come before its start."))

    def started_at(self) -> datetime | None:
        return _wib_datetime(self.start_day, self.start_time)

    def ended_at(self) -> datetime | None:
        return _wib_datetime(self.end_day, self.end_time)

    def changes(self) -> dict[str, Any]:
        return {
            "service": ServiceType(self.service.data),
            "outcome": Outcome(self.outcome.data),
            "desk": self.desk.data or None,
            "started_at": self.started_at(),
            "ended_at": self.ended_at(),
            "products": self.products.data or "",
            "note": self.note.data or "",
        }


class PeriodForm(FlaskForm):
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Show"))


# --- calendar and appointments ---------------------------------------------------------


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_REQUIRED)])
    is_open = RadioField(
        _l("The office is"),
        choices=[SelectChoice("closed", _l("Closed")), SelectChoice("open", _l("Open"))],
        default="closed",
        validators=[InputRequired(_REQUIRED)],
    )
    opens_at = TimeField(_l("Opens at (if open)"), validators=[Optional()])
    closes_at = TimeField(_l("Closes at (if open)"), validators=[Optional()])
    note = StringField(
        _l("Reason"),
        validators=[DataRequired(_REQUIRED), Length(max=200)],
        filters=[_strip],
        description=_l("For example: joint leave for Eid al-Fitr."),
    )
    submit = SubmitField(_l("Add to the calendar"))

    def validate_closes_at(self, field: TimeField) -> None:
        opens = self.opens_at.data
        if self.is_open.data == "open" and opens and field.data and field.data <= opens:
            raise ValidationError(_l("Closing must come after opening."))


class AppointmentForm(OnceForm, FlaskForm):
    service = SelectField(_l("Service"), choices=SERVICE_CHOICES)
    day = DateField(_l("Date"), validators=[InputRequired(_REQUIRED)])
    at = TimeField(
        _l("Time (WIB)"),
        validators=[InputRequired(_REQUIRED)],
        default=time(8, 0),
    )
    name = StringField(
        _l("Visitor's name"), validators=[Optional(), Length(max=120)], filters=[_strip]
    )
    note = TextAreaField(
        _l("What will you need?"), validators=[Optional(), Length(max=2000)], filters=[_strip]
    )
    submit = SubmitField(_l("Book the appointment"))

    def starts_at(self) -> datetime:
        return datetime.combine(self.day.data, self.at.data, WIB)
