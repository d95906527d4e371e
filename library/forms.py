"""HTML forms of the library's reader and officer pages (download database, tracing, usage
statistics)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, ValidationError
from wtforms.validators import Length, Optional, Regexp

from app.forms import FlaskForm
from library.usage import MONTH_RE, months_between

#: The longest month range one usage report covers (ten years).
MAX_REPORT_MONTHS = 120


class DownloadSearchForm(FlaskForm):
    q = StringField(
        _l("Reader, email, publication or download code"), validators=[Optional(), Length(max=200)]
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])


class IdentifyForm(FlaskForm):
    file = FileField(_l("Leaked PDF file"), validators=[FileRequired()])


class UsageReportForm(FlaskForm):
    """The month range (WIB, ``YYYY-MM`` as a month input sends it) and subject of the
    usage report; read from the query string (no CSRF: it changes nothing)."""

    month_from = StringField(
        _l("From month"),
        validators=[Optional(), Regexp(MONTH_RE, message=_l("Give a month as YYYY-MM."))],
    )
    month_to = StringField(
        _l("To month"),
        validators=[Optional(), Regexp(MONTH_RE, message=_l("Give a month as YYYY-MM."))],
    )
    subject = SelectField(_l("Subject"), choices=[], default="")

    def validate_month_to(self, field: StringField) -> None:
        first, last = self.month_from.data, field.data
        if not first or not last or not MONTH_RE.match(first) or not MONTH_RE.match(last):
            return
        if last < first:
            raise ValidationError(_l("The last month comes before the first."))
        if len(months_between(first, last)) > MAX_REPORT_MONTHS:
            raise ValidationError(_l("Choose at most ten years."))
