"""A ``multipart`` argument location: form fields and files in one schema.

flask-smorest documents exactly one request body per operation, and webargs reads
``form`` and ``files`` separately; an upload with metadata needs both in a single
``multipart/form-data`` body, so this location merges them.
"""

from __future__ import annotations

from typing import Any, ClassVar

import marshmallow as ma
from flask import Request
from flask_smorest import Blueprint as _Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict


class MultipartParser(FlaskParser):
    # A copy of the map: registering on the parent's would change every parser.
    __location_map__ = {  # noqa: RUF012 - webargs' own attribute
        **FlaskParser.__location_map__,
        "multipart": "load_multipart",
    }

    def load_multipart(self, req: Request, schema: ma.Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(_Blueprint):
    """flask-smorest's Blueprint that also understands ``location="multipart"``."""

    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING: ClassVar[dict[str, str]] = {
        **_Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }
