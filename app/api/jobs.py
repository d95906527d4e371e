"""``/jobs/{id}``: the state and progress of a background job."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from app.accounts.models import Role
from app.api.auth import SECURITY, api_user, token_required
from app.api.schemas import JobSchema
from app.errors import NotFound
from app.extensions import db
from app.jobs import Job

blp = Blueprint("jobs", __name__, description="Background jobs")


@blp.route("/jobs/<string:job_id>")
@blp.doc(operationId="getJob", security=SECURITY)
@blp.response(200, JobSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(404, description="No such job, or not yours")
@token_required
def get_job(job_id: str) -> Any:
    """A job started by the token's owner (administrators see every job).

    Its ``message`` is in the reader's language; ``attempts`` counts its runs so far."""
    user = api_user()
    job = db.session.get(Job, job_id)
    if job is None or not (job.created_by_id == user.id or user.has_role(Role.ADMIN)):
        raise NotFound()
    return job
