"""Flask extensions, created unbound; :func:`app.factory.create_app` binds them.

Feature packages import from here (and from :mod:`app.db`, :mod:`app.uow`,
:mod:`app.jobs`, :mod:`app.auth`), never from the factory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import marshmallow as ma
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from app import errors
from app.db import Base


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every API error is reported."""

    type = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "Field messages on 422"})


class PSTApi(Api):
    """flask-smorest's Api, with errors in problem+json and the visitor's language.

    A blueprint's operations enter the OpenAPI document when ``spec`` is first read
    (serving ``openapi.json`` or the docs, ``pst openapi``), not when it is registered:
    that costs about 45 ms per app, a quarter of building one, and most apps (every
    ``pst`` command, worker, test) never serve the document. So do the default error
    responses flask-smorest describes for every HTTP status (another 40 ms: a problem
    schema resolved for each) and anything given to :meth:`when_documented`.
    """

    ERROR_SCHEMA = ProblemSchema

    def __init__(self) -> None:
        self._undocumented: list[tuple[Any, str, Any]] = []
        self._first_read: list[Callable[[Any], None]] = []
        self._documenting = threading.RLock()
        self._busy = False
        super().__init__()

    @property
    def spec(self) -> Any:
        if self._undocumented or self._first_read:
            # Other threads wait for the document to be whole; a call from inside the
            # documenting (same thread) gets the spec as it stands.
            with self._documenting:
                if (self._undocumented or self._first_read) and not self._busy:
                    self._busy = True
                    try:
                        while self._first_read:  # responses, security schemes: first
                            self._first_read.pop(0)(self._spec)
                        for blp, name, parameters in self._undocumented:
                            blp.register_views_in_doc(
                                self, self._app, self._spec, name=name, parameters=parameters
                            )
                            self._spec.tag({"name": name, "description": blp.description})
                        self._undocumented.clear()
                    finally:
                        self._busy = False
        return self._spec

    @spec.setter
    def spec(self, value: Any) -> None:
        # A new spec (``init_app`` of another app) starts with no pending blueprint.
        self._spec = value
        self._undocumented = []
        self._first_read = []

    def when_documented(self, describe: Callable[[Any], None]) -> None:
        """Call ``describe(spec)`` when the document is first read, before the
        blueprints' operations enter it (components they refer to)."""
        self._first_read.append(describe)

    # Called by init_app; described when the document is read (each reads ``spec``).
    def _register_responses(self) -> None:
        self.when_documented(lambda spec: super(PSTApi, self)._register_responses())

    def _register_etag_headers(self) -> None:
        self.when_documented(lambda spec: super(PSTApi, self)._register_etag_headers())

    def _register_pagination_header(self) -> None:
        self.when_documented(lambda spec: super(PSTApi, self)._register_pagination_header())

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """Register ``blp`` in the app now and in the document when it is read (what
        flask-smorest's own method does at once)."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def handle_http_exception(self, error: HTTPException) -> Any:
        return errors.handle_http(error)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
api = PSTApi()
