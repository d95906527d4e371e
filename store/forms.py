"""HTML forms of the store's pages (buyers and officers)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms import FlaskForm
from app.idempotency import OnceForm
from store.orders import ZERO_RATE_BASES
from store.payments.references import BILLING_CODE_MESSAGE, billing_code_error, reference_error

REQUIRED = _l("This field is required.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AddToCartForm(OnceForm, FlaskForm):
    quantity = IntegerField(
        _l("Copies"), default=1, validators=[Optional(), NumberRange(min=1, max=50)]
    )
    variables = SelectMultipleField(_l("Variables"), choices=[], validate_choice=False)
    regions = SelectMultipleField(_l("Regions"), choices=[], validate_choice=False)
    file_format = SelectField(_l("File format"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Add to cart"))


class CheckoutForm(FlaskForm):
    shipping_address = TextAreaField(
        _l("Shipping address"),
        validators=[Optional(), Length(max=1000)],
        filters=[_strip],
        description=_l("Needed for printed copies. Shipping is paid by the buyer."),
    )
    zero_rate_basis = SelectField(
        _l("Claim the Rp0 tariff"),
        choices=[
            SelectChoice("", _l("No, I pay the tariff")),
            *(SelectChoice(k, v) for k, v in ZERO_RATE_BASES.items()),
        ],
        default="",
        description=_l(
            "Government, education, state and international bodies pay Rp0 for "
            "non-commercial use. An officer checks the evidence."
        ),
    )
    zero_rate_note = TextAreaField(
        _l("Explain the non-commercial use"),
        validators=[Optional(), Length(max=1000)],
        filters=[_strip],
    )
    evidence = FileField(
        _l("Evidence (letter of assignment, student card; PDF, JPEG or PNG)"),
    )
    submit = SubmitField(_l("Check out"))


class AbstractForm(FlaskForm):
    title = StringField(
        _l("Title of the research"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        filters=[_strip],
    )
    purpose = TextAreaField(
        _l("Purpose"), validators=[DataRequired(REQUIRED), Length(max=5000)], filters=[_strip]
    )
    method = TextAreaField(
        _l("Method of analysis"),
        validators=[DataRequired(REQUIRED), Length(max=5000)],
        filters=[_strip],
    )
    variables = TextAreaField(
        _l("Variables used (names, as chosen)"),
        validators=[DataRequired(REQUIRED), Length(max=5000)],
        filters=[_strip],
    )
    regions = TextAreaField(
        _l("Regions covered"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        filters=[_strip],
    )
    outputs = TextAreaField(
        _l("Expected outputs (thesis, paper, report)"),
        validators=[DataRequired(REQUIRED), Length(max=5000)],
        filters=[_strip],
    )
    completion_date = DateField(_l("Completion date"), validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Save the abstract"))


class AgreementForm(FlaskForm):
    text_sha256 = HiddenField()
    accept = BooleanField(
        _l("I have read the data-use agreement (SPPD) above and accept it."),
        validators=[DataRequired(_l("Tick the box to accept the agreement."))],
    )
    submit = SubmitField(_l("Accept the agreement"))


class UploadForm(FlaskForm):
    file = FileField(_l("File (PDF, JPEG or PNG)"), validators=[FileRequired(REQUIRED)])
    submit = SubmitField(_l("Upload"))


PAY_CHOICES = [
    SelectChoice("manual:simponi", _l("SIMPONI billing code (state revenue, PNBP)")),
    SelectChoice("manual:bank_transfer", _l("Bank transfer")),
]


class PayForm(FlaskForm):
    way = RadioField(_l("How will you pay?"), choices=PAY_CHOICES, validators=[InputRequired()])
    submit = SubmitField(_l("Continue to payment"))


class ActionForm(FlaskForm):
    """Just the CSRF token (cancel, confirm)."""


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("approve", _l("Approve: the abstract matches the data asked for")),
            SelectChoice("revise", _l("Ask the buyer to revise the abstract")),
            SelectChoice("reject", _l("Reject the order")),
        ],
        validators=[InputRequired()],
    )
    grant_zero_rate = SelectField(
        _l("Rp0 claim"),
        choices=[
            SelectChoice("", _l("— no claim —")),
            SelectChoice("yes", _l("Grant Rp0")),
            SelectChoice("no", _l("Refuse Rp0")),
        ],
        default="",
    )
    reason = TextAreaField(
        _l("Reason or what to revise (shown to the buyer)"),
        validators=[Optional(), Length(max=2000)],
        filters=[_strip],
    )
    submit = SubmitField(_l("Record the decision"))


def _no_spaces(value: Any) -> Any:
    return "".join(value.split()) if isinstance(value, str) else value


def _billing_code(form: Any, field: Any) -> None:
    if field.data and billing_code_error(field.data) is not None:
        raise ValidationError(str(BILLING_CODE_MESSAGE))


class BillingForm(FlaskForm):
    billing_code = StringField(
        _l("SIMPONI billing code"),
        validators=[Optional(), Length(max=40), _billing_code],
        filters=[_no_spaces],
        description=_l("15 digits, as SIMPONI issued it."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    instructions = TextAreaField(
        _l("Payment instructions for the buyer"),
        validators=[Optional(), Length(max=4000)],
        filters=[_strip],
    )
    submit = SubmitField(_l("Issue to the buyer"))


class ConfirmForm(FlaskForm):
    """The officer's confirmation of a manual payment, with what proves it: the NTPN of a
    SIMPONI payment or the bank's reference of a transfer (``method`` says which)."""

    reference = StringField(
        _l("NTPN or bank reference"),
        validators=[Length(max=60)],
        filters=[_strip],
        render_kw={"autocomplete": "off"},
    )
    submit = SubmitField(_l("Confirm payment received"))

    def __init__(self, *args: Any, method: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.method = method
        if method == "simponi":
            self.reference.label.text = str(_l("NTPN (16 letters and digits)"))
        elif method == "bank_transfer":
            self.reference.label.text = str(_l("Bank reference of the transfer"))

    def validate_reference(self, field: Any) -> None:
        error = reference_error(self.method, field.data)
        if error is not None:
            raise ValidationError(str(error))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)], filters=[_strip])
    submit = SubmitField(_l("Save"))


class ShipForm(FlaskForm):
    tracking = StringField(
        _l("Courier and tracking number"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        filters=[_strip],
    )
    submit = SubmitField(_l("Mark shipped"))


class TariffForm(FlaskForm):
    amount = IntegerField(
        _l("Amount (Rp)"), validators=[InputRequired(REQUIRED), NumberRange(min=0, max=10**10)]
    )
    regulation = StringField(_l("Regulation"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Save"))
