"""HTML forms of the advisory services (WTForms; labels and messages translatable).

Forms only parse; completeness of the FS3 form is the service's rule (checked at
submission), so a draft can be saved half filled.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from advisory.attachments import ACCEPT, SCAN_ACCEPT
from advisory.labels import (
    CHANNEL_LABELS,
    CHECKLIST,
    DESIGN_LABELS,
    FILE_KIND_LABELS,
    FREQUENCY_LABELS,
    KIND_LABELS,
    RECURRENCE_LABELS,
)
from advisory.models import Channel, ConsultationKind, RecommendationFileKind
from app.accounts.forms import ChoiceField
from app.forms import FlaskForm
from app.idempotency import OnceForm

_REQUIRED = _l("This field is required.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _files(label: Any) -> MultipleFileField:
    return MultipleFileField(
        label,
        description=_l("Optional. Up to 5 files of 10 MiB: PDF, images, Excel, Word, CSV or text."),
        render_kw={"accept": ACCEPT},
    )


class AskForm(OnceForm, FlaskForm):
    subject = StringField(
        _l("Your question in a few words"),
        validators=[DataRequired(_REQUIRED), Length(min=3, max=200)],
        filters=[_strip],
        description=_l("Matching publications and answers appear below as you type."),
        render_kw={"autocomplete": "off", "data-suggest": "1"},
    )
    kind = RadioField(
        _l("What do you need?"),
        choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in ConsultationKind],
        default=ConsultationKind.QUESTION.value,
        validators=[DataRequired(_REQUIRED)],
    )
    body = TextAreaField(
        _l("Details"),
        validators=[DataRequired(_REQUIRED), Length(min=3, max=20000)],
        description=_l("For data: which indicator, region, period and breakdown you need."),
        render_kw={"rows": 6},
    )
    topic = StringField(
        _l("Topic (optional)"), validators=[Optional(), Length(max=120)], filters=[_strip]
    )
    files = _files(_l("Attachments"))
    send = SubmitField(_l("Send my question"))


class RecordForm(AskForm):
    """An officer records a question that came by email or at the desk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The asking form's fields in staff wording: the question is someone else's.
        self.subject.label.text = _l("The question in a few words")
        self.subject.description = ""
        self.subject.render_kw = {"autocomplete": "off"}
        self.kind.label.text = _l("What does the requester need?")
        self.body.description = _l(
            "For data: which indicator, region, period and breakdown are needed."
        )

    email = EmailField(
        _l("Requester's email (their account)"),
        validators=[
            DataRequired(_REQUIRED),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
        filters=[_strip],
    )
    channel = RadioField(
        _l("Received"),
        choices=[
            SelectChoice(c.value, CHANNEL_LABELS[c]) for c in (Channel.EMAIL, Channel.WALK_IN)
        ],
        default=Channel.EMAIL.value,
        validators=[DataRequired(_REQUIRED)],
    )
    send = SubmitField(_l("Record the request"))


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[Length(max=20000)], render_kw={"rows": 4})
    files = _files(_l("Attachments"))
    internal = BooleanField(_l("Internal note (staff only)"))
    send = SubmitField(_l("Send"))


class AnswerForm(FlaskForm):
    body = TextAreaField(
        _l("Answer"),
        validators=[DataRequired(_REQUIRED), Length(min=3, max=20000)],
        render_kw={"rows": 6},
    )
    files = _files(_l("Attachments"))
    send = SubmitField(_l("Send the answer"))


class AssignForm(FlaskForm):
    officer = SelectField(_l("Officer"), coerce=int, validators=[DataRequired(_REQUIRED)])
    send = SubmitField(_l("Assign"))


class EscalateForm(FlaskForm):
    specialist = SelectField(
        _l("Subject-matter specialist"), coerce=int, validators=[DataRequired(_REQUIRED)]
    )
    note = TextAreaField(
        _l("What should they help with?"),
        validators=[DataRequired(_REQUIRED), Length(max=5000)],
        render_kw={"rows": 3},
    )
    send = SubmitField(_l("Escalate"))


class DataLetterForm(FlaskForm):
    data = TextAreaField(
        _l("Data to be prepared"),
        validators=[DataRequired(_REQUIRED), Length(min=3, max=2000)],
        render_kw={"rows": 3},
    )
    purpose = StringField(_l("Purpose"), validators=[Optional(), Length(max=500)], filters=[_strip])
    agreed_on = DateField(_l("Agreed completion date"), validators=[DataRequired(_REQUIRED)])
    terms = TextAreaField(
        _l("Terms explained to the requester"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 3},
    )
    send = SubmitField(_l("Issue the data request letter"))


class FaqForm(FlaskForm):
    question = StringField(
        _l("Question"),
        validators=[DataRequired(_REQUIRED), Length(min=5, max=300)],
        filters=[_strip],
    )
    answer = TextAreaField(
        _l("Answer"),
        validators=[DataRequired(_REQUIRED), Length(min=5, max=20000)],
        description=_l("Remove names and anything personal before publishing."),
        render_kw={"rows": 6},
    )
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=120)], filters=[_strip])
    send = SubmitField(_l("Publish in the FAQ"))


class ActionForm(FlaskForm):
    """A POST with a CSRF token (close, submit, withdraw, approve)."""

    send = SubmitField(_l("Confirm"))


class RecommendationForm(OnceForm, FlaskForm):
    """The FS3 form. Saved as a draft with any fields; complete when submitted."""

    organiser = StringField(
        _l("Organiser (institution)"), validators=[Length(max=200)], filters=[_strip]
    )
    organiser_address = TextAreaField(
        _l("Organiser's address"), validators=[Length(max=1000)], render_kw={"rows": 2}
    )
    contact_name = StringField(_l("Contact person"), validators=[Length(max=120)], filters=[_strip])
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[Length(max=32)],
        filters=[_strip],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )
    contact_email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=254)],
        filters=[_strip],
    )
    manager_name = StringField(_l("Survey manager"), validators=[Length(max=120)], filters=[_strip])
    manager_position = StringField(
        _l("Survey manager's position"), validators=[Length(max=120)], filters=[_strip]
    )
    title = StringField(_l("Title of the activity"), validators=[Length(max=300)], filters=[_strip])
    topic = StringField(
        _l("Topic"),
        validators=[Length(max=120)],
        filters=[_strip],
        description=_l("For example: health, education, poverty, agriculture."),
    )
    objectives = TextAreaField(
        _l("Objectives"), validators=[Length(max=5000)], render_kw={"rows": 3}
    )
    recurrence = ChoiceField(
        _l("One-off or recurring"),
        choices=[SelectChoice(k.value, v) for k, v in RECURRENCE_LABELS.items()],
    )
    frequency = ChoiceField(
        _l("Frequency"),
        choices=[SelectChoice(k, v) for k, v in FREQUENCY_LABELS.items()],
        description=_l("Only for a recurring activity."),
    )
    design = ChoiceField(
        _l("Longitudinal or cross-section"),
        choices=[SelectChoice(k.value, v) for k, v in DESIGN_LABELS.items()],
    )
    collection_method = TextAreaField(
        _l("Data collection method"),
        validators=[Length(max=5000)],
        description=_l(
            "For example: face-to-face interview (PAPI/CAPI), online questionnaire, observation."
        ),
        render_kw={"rows": 2},
    )
    sampling_method = TextAreaField(
        _l("Sampling method"),
        validators=[Length(max=5000)],
        description=_l("For example: two-stage stratified sampling; or a census of all units."),
        render_kw={"rows": 2},
    )
    population = TextAreaField(
        _l("Population (target)"), validators=[Length(max=5000)], render_kw={"rows": 2}
    )
    sample_size = IntegerField(
        _l("Sample size"),
        validators=[Optional(), NumberRange(min=1, max=1_000_000_000)],
        render_kw={"inputmode": "numeric"},
    )
    variables = TextAreaField(
        _l("Variables collected"),
        validators=[Length(max=5000)],
        description=_l("One per line, or the sections of the questionnaire."),
        render_kw={"rows": 4},
    )
    region = TextAreaField(
        _l("Region covered"),
        validators=[Length(max=2000)],
        description=_l("Province, regencies or cities, districts."),
        render_kw={"rows": 2},
    )
    period_start = DateField(_l("Schedule: start"), validators=[Optional()])
    period_end = DateField(_l("Schedule: end"), validators=[Optional()])
    save = SubmitField(_l("Save draft"))
    submit_form = SubmitField(_l("Save and submit"))

    FIELDS = (
        "organiser",
        "organiser_address",
        "contact_name",
        "contact_phone",
        "contact_email",
        "manager_name",
        "manager_position",
        "title",
        "topic",
        "objectives",
        "recurrence",
        "frequency",
        "design",
        "collection_method",
        "sampling_method",
        "population",
        "sample_size",
        "variables",
        "region",
        "period_start",
        "period_end",
    )

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in self.FIELDS}


class OnBehalfForm(FlaskForm):
    """An officer records a paper FS3 form: first, whose request it is."""

    email = EmailField(
        _l("Requester's email (their account)"),
        validators=[
            DataRequired(_REQUIRED),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
        filters=[_strip],
    )
    send = SubmitField(_l("Start the form"))


class RecommendationFileForm(FlaskForm):
    """An officer attaches the covering letter or the scanned paper FS3 form."""

    kind = RadioField(
        _l("Document"),
        choices=[SelectChoice(k.value, FILE_KIND_LABELS[k]) for k in RecommendationFileKind],
        default=RecommendationFileKind.PAPER_FORM.value,
        validators=[DataRequired(_REQUIRED)],
    )
    file = FileField(
        _l("File"),
        description=_l("PDF, JPEG or PNG, at most 10 MiB."),
        render_kw={"accept": SCAN_ACCEPT},
    )
    send = SubmitField(_l("Attach"))


class HeadReturnForm(FlaskForm):
    """The head returns a verified request to the officer."""

    note = TextAreaField(
        _l("Note to the officer"),
        validators=[
            DataRequired(_l("Say what the officer must check or correct.")),
            Length(max=5000),
        ],
        filters=[_strip],
        render_kw={"rows": 3},
    )
    send = SubmitField(_l("Return to the officer"))


def review_form_class() -> type[FlaskForm]:
    """The verification form: one checkbox per checklist item, a note, pass or return."""

    class ReviewForm(FlaskForm):
        note = TextAreaField(
            _l("Note to the requester"),
            validators=[Length(max=5000)],
            description=_l("Required when returning the form: say what to revise."),
            render_kw={"rows": 3},
        )
        pass_form = SubmitField(_l("Pass: complete and clear"))
        return_form = SubmitField(_l("Return for revision"))

    for key, text in CHECKLIST.items():
        setattr(ReviewForm, f"check_{key}", BooleanField(text))
    return ReviewForm


ReviewForm = review_form_class()


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup anyone may bookmark

    number = StringField(
        _l("Letter number"), validators=[DataRequired(_REQUIRED), Length(max=80)], filters=[_strip]
    )
    c = StringField(
        _l("Verification code"),
        validators=[DataRequired(_REQUIRED), Length(max=40)],
        filters=[_strip],
        description=_l("Printed under the QR code, for example ABCD-EFGH-IJKL-MNOP."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    send = SubmitField(_l("Check the letter"))
