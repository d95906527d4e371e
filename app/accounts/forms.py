"""HTML forms of the accounts pages (WTForms; labels and messages translatable)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.accounts.models import Education, Gender, IdType, InstitutionKind, Role
from app.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from app.accounts.privacy_forms import notice_field
from app.forms import FlaskForm


def _choices(pairs: list[tuple[str, Any]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ChoiceField(SelectField):
    """A select that starts on an empty "Choose…" option instead of a real answer.

    An untouched select would otherwise submit its first option as if chosen. The
    empty value is left to DataRequired ("This field is required.") instead of
    WTForms' "Not a valid choice".
    """

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs["choices"] = [SelectChoice("", _l("Choose…")), *kwargs.get("choices", [])]
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form: Any) -> None:
        if self.data:
            super().pre_validate(form)


ID_TYPE_CHOICES = _choices(
    [
        (IdType.KTP.value, _l("KTP (identity card)")),
        (IdType.SIM.value, _l("SIM (driving licence)")),
        (IdType.PASSPORT.value, _l("Passport")),
        (IdType.STUDENT_CARD.value, _l("Student card")),
    ]
)
INSTITUTION_CHOICES = _choices(
    [
        (InstitutionKind.GOVERNMENT.value, _l("Government")),
        (InstitutionKind.STATE_ENTERPRISE.value, _l("State-owned enterprise")),
        (InstitutionKind.EDUCATION.value, _l("School or university")),
        (InstitutionKind.RESEARCH.value, _l("Research institute")),
        (InstitutionKind.PRIVATE.value, _l("Private company")),
        (InstitutionKind.INTERNATIONAL.value, _l("International organisation")),
        (InstitutionKind.MEDIA.value, _l("Media")),
        (InstitutionKind.NGO.value, _l("Non-governmental organisation")),
        (InstitutionKind.INDIVIDUAL.value, _l("Individual")),
        (InstitutionKind.OTHER.value, _l("Other")),
    ]
)
EDUCATION_CHOICES = _choices(
    [
        (Education.SD.value, _l("Primary school (SD)")),
        (Education.SMP.value, _l("Junior high school (SMP)")),
        (Education.SMA.value, _l("Senior high school (SMA/SMK)")),
        (Education.D1_D3.value, _l("Diploma (D1–D3)")),
        (Education.D4_S1.value, _l("Bachelor (D4/S1)")),
        (Education.S2.value, _l("Master (S2)")),
        (Education.S3.value, _l("Doctorate (S3)")),
    ]
)
GENDER_CHOICES = _choices([(Gender.MALE.value, _l("Male")), (Gender.FEMALE.value, _l("Female"))])
ROLE_CHOICES = _choices(
    [
        (Role.USER.value, _l("Service user")),
        (Role.RECEPTIONIST.value, _l("Receptionist")),
        (Role.OFFICER.value, _l("Service officer")),
        (Role.SUBJECT_MATTER.value, _l("Subject-matter statistician")),
        (Role.HEAD.value, _l("Head of office")),
        (Role.ADMIN.value, _l("Administrator")),
    ]
)

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")
_ID_PATTERNS = {
    IdType.KTP.value: (re.compile(r"^[0-9]{16}$"), _l("A KTP number (NIK) has 16 digits.")),
    IdType.SIM.value: (re.compile(r"^[0-9]{12,14}$"), _l("A SIM number has 12 to 14 digits.")),
    IdType.PASSPORT.value: (
        re.compile(r"^[A-Z0-9]{6,12}$"),
        _l("A passport number has 6 to 12 letters or digits."),
    ),
    IdType.STUDENT_CARD.value: (
        re.compile(r"^[A-Z0-9.\-/]{3,30}$"),
        _l("A student number has 3 to 30 letters, digits, dots, dashes or slashes."),
    ),
}

_REQUIRED = _l("This field is required.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _upper_compact(value: Any) -> Any:
    return re.sub(r"\s+", "", value).upper() if isinstance(value, str) else value


def _none_if_blank(value: Any) -> Any:
    return value or None


class PasswordStrength:
    """At least MIN_LENGTH characters, not only digits, not the email address."""

    def __call__(self, form: FlaskForm, field: PasswordField) -> None:
        value = field.data or ""
        if len(value) < MIN_LENGTH:
            raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
        if len(value) > MAX_LENGTH:
            raise ValidationError(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
        if value.isdigit():
            raise ValidationError(_l("Use letters as well as digits."))
        email = getattr(form, "email", None)
        if email is not None and email.data and value.lower() == str(email.data).lower():
            raise ValidationError(_l("The password must differ from the email address."))


class AccountEmail:
    """The address rule of accounts (:func:`app.accounts.services.check_email`), the
    same for the forms as for ``pst users create``."""

    def __call__(self, form: FlaskForm, field: EmailField) -> None:
        from app.accounts.errors import InvalidEmail
        from app.accounts.services import check_email

        if not field.data:
            return
        try:
            check_email(str(field.data))
        except InvalidEmail as exc:
            raise ValidationError(exc.message) from None


def _email_field() -> EmailField:
    return EmailField(
        _l("Email"),
        validators=[DataRequired(_REQUIRED), AccountEmail(), Length(max=254)],
        filters=[_strip],
    )


class ProfileForm(FlaskForm):
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(_REQUIRED), Length(max=120)], filters=[_strip]
    )
    phone = TelField(
        _l("Phone number"), validators=[DataRequired(_REQUIRED), Length(max=32)], filters=[_strip]
    )
    id_type = ChoiceField(
        _l("Identity document"), choices=ID_TYPE_CHOICES, validators=[DataRequired(_REQUIRED)]
    )
    id_number = StringField(
        _l("Identity number"), validators=[DataRequired(_REQUIRED)], filters=[_upper_compact]
    )
    institution = StringField(
        _l("Institution"), validators=[DataRequired(_REQUIRED), Length(max=200)], filters=[_strip]
    )
    institution_kind = ChoiceField(
        _l("Type of institution"), choices=INSTITUTION_CHOICES, validators=[DataRequired(_REQUIRED)]
    )
    occupation = StringField(
        _l("Occupation"), validators=[DataRequired(_REQUIRED), Length(max=120)], filters=[_strip]
    )
    education = ChoiceField(
        _l("Highest education"), choices=EDUCATION_CHOICES, validators=[DataRequired(_REQUIRED)]
    )
    gender = RadioField(_l("Gender"), choices=GENDER_CHOICES, validators=[InputRequired(_REQUIRED)])
    birth_year = IntegerField(
        _l("Year of birth"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(
                1900, date.today().year - 5, _l("Enter a year between %(min)s and %(max)s.")
            ),
        ],
    )

    submit = SubmitField(_l("Save profile"))

    def validate_phone(self, field: TelField) -> None:
        if not _PHONE.match(field.data or ""):
            raise ValidationError(_l("Enter a phone number such as 0812 3456 7890."))

    def validate_id_number(self, field: StringField) -> None:
        rule = _ID_PATTERNS.get(self.id_type.data or "")
        if rule and not rule[0].match(field.data or ""):
            raise ValidationError(rule[1])

    def profile(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name.data,
            "phone": self.phone.data,
            "id_type": IdType(self.id_type.data),
            "id_number": self.id_number.data,
            "institution": self.institution.data,
            "institution_kind": InstitutionKind(self.institution_kind.data),
            "occupation": self.occupation.data,
            "education": Education(self.education.data),
            "gender": Gender(self.gender.data),
            "birth_year": self.birth_year.data,
        }


class RegisterForm(ProfileForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_REQUIRED), PasswordStrength()]
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(_REQUIRED), EqualTo("password", _l("The passwords differ."))],
    )
    consent = BooleanField(
        _l("I agree that BPS processes my data to provide statistical services."),
        validators=[DataRequired(_l("Please agree in order to register."))],
    )
    notice = notice_field()
    submit = SubmitField(_l("Register"))


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_REQUIRED), Length(max=MAX_LENGTH)]
    )
    remember = BooleanField(
        _l("Keep me signed in on this device"),
        description=_l("Not on a shared computer. Staff accounts are never kept signed in."),
    )
    submit = SubmitField(_l("Sign in"))


class EmailForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send link"))


class ResetForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(_REQUIRED), PasswordStrength()]
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(_REQUIRED), EqualTo("password", _l("The passwords differ."))],
    )
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(ResetForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_REQUIRED), Length(max=MAX_LENGTH)]
    )


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(_REQUIRED), Length(max=80)],
        filters=[_strip],
        description=_l("For example the script or computer that will use it."),
    )
    submit = SubmitField(_l("Create token"))


class ConfirmForm(FlaskForm):
    """An empty form: a POST with a CSRF token, for buttons like 'revoke'."""

    submit = SubmitField(_l("Confirm"))


class StaffForm(FlaskForm):
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(_REQUIRED), Length(max=120)], filters=[_strip]
    )
    email = _email_field()
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.OFFICER.value)
    submit = SubmitField(_l("Create account"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Change role"))


class LanguageForm(FlaskForm):
    lang = SelectField(
        _l("Language"), choices=_choices([("id", "Bahasa Indonesia"), ("en", "English")])
    )
    next = StringField(filters=[_none_if_blank], validators=[Optional()])
