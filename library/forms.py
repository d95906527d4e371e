"""HTML forms of the library's reader and officer pages (download database, tracing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from app.forms import FlaskForm


class DownloadSearchForm(FlaskForm):
    q = StringField(
        _l("Reader, email, publication or download code"), validators=[Optional(), Length(max=200)]
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])


class IdentifyForm(FlaskForm):
    file = FileField(_l("Leaked PDF file"), validators=[FileRequired()])
