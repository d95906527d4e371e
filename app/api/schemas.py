"""Marshmallow schemas of the foundation's API resources."""

from __future__ import annotations

import marshmallow as ma

from app.jobs import step_label


class UserSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Email(dump_only=True)
    full_name = ma.fields.String(dump_only=True)
    role = ma.fields.Function(lambda u: u.role.value, dump_only=True)
    email_verified = ma.fields.Boolean(dump_only=True)
    institution = ma.fields.String(dump_only=True, allow_none=True)
    locale = ma.fields.String(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class JobSchema(ma.Schema):
    id = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    state = ma.fields.String(dump_only=True)
    progress = ma.fields.Integer(dump_only=True)
    message = ma.fields.Function(
        lambda job: step_label(job.message) or None, dump_only=True, allow_none=True
    )
    attempts = ma.fields.Integer(dump_only=True)
    result = ma.fields.Raw(dump_only=True, attribute="result_data", allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    started_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    finished_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
