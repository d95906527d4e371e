"""HTML forms of the walk-in sale pages (officers at the desk)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import FlaskForm
from store.forms import REQUIRED, AbstractForm, _strip
from store.orders import ZERO_RATE_BASES


class StartSaleForm(FlaskForm):
    visitor_id = IntegerField(_l("Visitor"), validators=[InputRequired(_l("Choose the visitor."))])
    ticket_id = HiddenField()


class WalkInItemForm(FlaskForm):
    product_id = SelectField(
        _l("Product"),
        choices=[],
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose a product."))],
    )
    quantity = IntegerField(
        _l("Copies"), default=1, validators=[Optional(), NumberRange(min=1, max=50)]
    )
    variables = SelectMultipleField(_l("Variables"), choices=[], validate_choice=False)
    regions = SelectMultipleField(_l("Regions"), choices=[], validate_choice=False)
    file_format = SelectField(_l("File format"), choices=[], validate_choice=False)


class PaperRequirementsForm(AbstractForm):
    """The abstract of use as on the online form, and the signed paper SPPD."""

    signed_sppd = FileField(
        _l("Scan of the SPPD signed by the visitor (PDF, JPEG or PNG)"),
        validators=[FileRequired(REQUIRED)],
    )
    paper_abstract = FileField(
        _l("Scan of the visitor's paper abstract, if any (PDF, JPEG or PNG)"),
    )


DESK_PAY_CHOICES = [
    SelectChoice("cash", _l("Cash at the desk (received now)")),
    SelectChoice("simponi", _l("SIMPONI billing code (state revenue, PNBP)")),
    SelectChoice("bank_transfer", _l("Bank transfer")),
]


class DeskPaymentForm(FlaskForm):
    method = RadioField(
        _l("How does the visitor pay?"),
        choices=DESK_PAY_CHOICES,
        validators=[InputRequired(_l("Choose how the visitor pays."))],
    )
    billing_code = StringField(
        _l("SIMPONI billing code"),
        validators=[Optional(), Length(max=40)],
        filters=[_strip],
        description=_l("Needed for SIMPONI."),
    )
    instructions = TextAreaField(
        _l("Payment instructions for the visitor"),
        validators=[Optional(), Length(max=4000)],
        filters=[_strip],
    )


class PlaceSaleForm(FlaskForm):
    """Place the sale; optionally with a Rp0 claim and the scan of its evidence."""

    zero_rate_basis = SelectField(
        _l("Rp0 tariff"),
        choices=[
            SelectChoice("", _l("No, the visitor pays the tariff")),
            *(SelectChoice(k, v) for k, v in ZERO_RATE_BASES.items()),
        ],
        default="",
        description=_l(
            "Government, education, state and international bodies pay Rp0 for "
            "non-commercial use; another officer checks the evidence."
        ),
    )
    zero_rate_note = TextAreaField(
        _l("The non-commercial use"),
        validators=[Optional(), Length(max=1000)],
        filters=[_strip],
    )
    evidence = FileField(_l("Scan of the evidence (letter of assignment, student card)"))
