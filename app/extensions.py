"""Flask extensions, created unbound; :func:`app.factory.create_app` binds them.

Feature packages import from here (and from :mod:`app.db`, :mod:`app.uow`,
:mod:`app.jobs`, :mod:`app.auth`), never from the factory.
"""

from __future__ import annotations

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
    """flask-smorest's Api, with errors in problem+json and the visitor's language."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        return errors.handle_http(error)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
api = PSTApi()
