"""Metadata at the edge: BPS web API shape (import, export, ``pst ingest --meta``) and
the catalogue's JSON API resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma

from catalog.models import Access, Kind


class BpsMetaSchema(ma.Schema):
    """A publication's metadata as on BPS's web API, plus the catalogue's own fields.

    Unknown keys are ignored (BPS adds fields over time); ``cover``, ``pdf`` and
    ``size`` are exported for compatibility and ignored on import, since the file
    itself is the source of truth for them.
    """

    class Meta:
        unknown = ma.EXCLUDE

    pub_id = ma.fields.Raw(allow_none=True)
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    title_en = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))
    subtitle = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))
    kat_no = ma.fields.String(
        allow_none=True, validate=ma.validate.Regexp(r"^[0-9]{5,8}(\.[0-9]{1,4})?$|^$")
    )
    pub_no = ma.fields.String(
        allow_none=True, validate=ma.validate.Regexp(r"^[0-9]{3,6}\.[0-9]{2,6}$|^$")
    )
    issn = ma.fields.String(
        allow_none=True, validate=ma.validate.Regexp(r"^[0-9]{4}-[0-9]{3}[0-9Xx]$|^$")
    )
    isbn = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))
    abstract = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20000))
    rl_date = ma.fields.Date(allow_none=True)
    release_time = ma.fields.Time(allow_none=True)  # WIB; empty: CATALOG_RELEASE_TIME
    period = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    subjects = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(min=1, max=120)),
        load_default=list,
        validate=ma.validate.Length(max=30),
    )
    language = ma.fields.String(load_default="id", validate=ma.validate.OneOf(["id", "en"]))
    access = ma.fields.String(
        load_default=Access.OPEN.value, validate=ma.validate.OneOf([a.value for a in Access])
    )
    kind = ma.fields.String(
        load_default=Kind.PUBLICATION.value, validate=ma.validate.OneOf([k.value for k in Kind])
    )
    printed = ma.fields.Boolean(load_default=False)
    region_code = ma.fields.String(allow_none=True, validate=ma.validate.Regexp(r"^[0-9]{2,4}$"))
    region_name = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=120))
    cover = ma.fields.String(allow_none=True)
    pdf = ma.fields.String(allow_none=True)
    size = ma.fields.Raw(allow_none=True)


def load_meta(data: Any) -> dict[str, Any]:
    """Validate one metadata object; raises :class:`marshmallow.ValidationError`."""
    loaded: dict[str, Any] = BpsMetaSchema().load(data)
    return loaded


def error_messages(exc: ma.ValidationError) -> dict[str, Any]:
    """The error's messages by field name (``normalized_messages``, which marshmallow
    leaves unannotated)."""
    normalized: Callable[[], dict[str, Any]] = exc.normalized_messages
    return normalized()
