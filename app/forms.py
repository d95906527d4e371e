"""The base of every HTML form: input bounds that hold for all fields of all features.

Every feature's form derives from :class:`FlaskForm` here instead of Flask-WTF's (a
test checks it). When a form is built, each field gets the checks its kind needs:

- text fields refuse control characters with a field message: a single-line field any
  (a CR/LF in a title would end a mail header, a tab or an escape has no meaning in a
  name), a multi-line field (``TextAreaField``) all but tab and line breaks;
- integer fields are bounded to what an ``INTEGER`` column holds, checked before their
  own range, so a 400-digit number is a field message, not an overflow.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from wtforms import Field, Form
from wtforms.fields import IntegerField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from app.edge import CONTROL, CONTROL_OR_BREAK, MAX_INT


class NoControlCharacters:
    """Refuse text holding a control character (line breaks too unless ``multiline``)."""

    def __init__(self, *, multiline: bool) -> None:
        self.pattern = CONTROL if multiline else CONTROL_OR_BREAK
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data
        if isinstance(value, str) and self.pattern.search(value):
            if not self.multiline and ("\r" in value or "\n" in value):
                raise ValidationError(_l("This field must be a single line."))
            raise ValidationError(
                _l("This field contains a control character. Remove it and send again.")
            )


_SINGLE_LINE = NoControlCharacters(multiline=False)
_MULTI_LINE = NoControlCharacters(multiline=True)


def _bounded_integer(form: Form, field: Field) -> None:
    # Runs first and stops the chain: WTForms' own NumberRange turns the value into a
    # float and overflows on a 400-digit number.
    if isinstance(field.data, int) and not -MAX_INT <= field.data <= MAX_INT:
        raise StopValidation(str(_l("This number is out of range.")))


def edge_validators(field: Field) -> tuple[list[Any], list[Any]]:
    """The checks every field of ``field``'s kind gets, to run (before, after) its own
    (see the module's docstring)."""
    if isinstance(field, TextAreaField):
        return [], [_MULTI_LINE]
    if isinstance(field, StringField):
        return [], [_SINGLE_LINE]
    if isinstance(field, IntegerField):
        return [_bounded_integer], []
    return [], []


class FlaskForm(_FlaskForm):
    """Flask-WTF's form with :func:`edge_validators` on every field."""

    class Meta(_FlaskForm.Meta):
        def bind_field(self, form: Form, unbound_field: Any, options: dict[str, Any]) -> Field:
            field: Field = super().bind_field(form, unbound_field, options)
            before, after = edge_validators(field)
            if before or after:
                # A new list: the unbound field's list is shared by every instance.
                field.validators = [*before, *field.validators, *after]
            return field
