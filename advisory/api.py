"""The advisory's JSON API routes: consultations (create, read, message, escalate, answer),
recommendation requests (create, edit, submit, review, approve) and the public letter
verification. Every operation but ``verifyLetter`` takes a bearer token. What they take
and give is :mod:`advisory.api_schemas`."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_smorest import Blueprint

from advisory import consultations, letters, recommendations
from advisory.api_schemas import (
    AdvisoryAnswerInSchema,
    AdvisoryConsultationInSchema,
    AdvisoryConsultationSchema,
    AdvisoryConsultationSummarySchema,
    AdvisoryEscalateInSchema,
    AdvisoryFs3Schema,
    AdvisoryHeadReturnInSchema,
    AdvisoryLetterSchema,
    AdvisoryMessageInSchema,
    AdvisoryMessageSchema,
    AdvisoryRecommendationSchema,
    AdvisoryReviewInSchema,
    AdvisoryVerifyArgsSchema,
    AdvisoryVerifySchema,
)
from advisory.models import FS3_FIELDS, ConsultationKind, Letter, Message
from advisory.settings import settings_from
from app import clock
from app.api.auth import SECURITY, api_user, token_required
from app.blobs import current_store
from app.extensions import db, limiter

blp = Blueprint("advisory_api", __name__, description="Advisory: consultations and recommendations")


# --- consultations ---------------------------------------------------------------------


@blp.route("/advisory/consultations", methods=["POST"])
@blp.doc(operationId="createConsultation", security=SECURITY)
@blp.arguments(AdvisoryConsultationInSchema)
@blp.response(201, AdvisoryConsultationSchema)
@blp.alt_response(401, description="Missing or invalid token")
@token_required
def create_consultation(data: dict[str, Any]) -> Any:
    """Ask a question or request data; the answer is due in 3 working days."""
    c = consultations.create_consultation(
        db.session(),
        current_store(),
        requester=api_user(),
        subject=data["subject"],
        body=data["body"],
        kind=ConsultationKind(data["kind"]),
        topic=data["topic"],
        now=clock.now(),
        settings=settings_from(current_app.config),
    )
    return c, 201, {"Location": url_for("advisory_api.get_consultation", consultation_id=c.id)}


@blp.route("/advisory/consultations", methods=["GET"])
@blp.doc(operationId="listConsultations", security=SECURITY)
@blp.response(200, AdvisoryConsultationSummarySchema(many=True))
@token_required
def list_consultations() -> Any:
    """Your own consultations and data requests, newest first."""
    return consultations.my_consultations(db.session(), api_user().id)


@blp.route("/advisory/consultations/<int:consultation_id>", methods=["GET"])
@blp.doc(operationId="getConsultation", security=SECURITY)
@blp.response(200, AdvisoryConsultationSchema)
@blp.alt_response(404, description="No such consultation (or not yours)")
@token_required
def get_consultation(consultation_id: int) -> Any:
    """One consultation with its thread (staff also see internal notes)."""
    return consultations.get_consultation(db.session(), consultation_id, api_user())


@blp.route("/advisory/consultations/<int:consultation_id>/messages", methods=["POST"])
@blp.doc(operationId="postConsultationMessage", security=SECURITY)
@blp.arguments(AdvisoryMessageInSchema)
@blp.response(201, AdvisoryMessageSchema)
@blp.alt_response(404, description="No such consultation (or not yours)")
@blp.alt_response(409, description="The consultation is closed")
@token_required
def post_consultation_message(data: dict[str, Any], consultation_id: int) -> Any:
    """Reply in the thread (attachments: on the web page)."""
    message: Message = consultations.post_message(
        db.session(),
        current_store(),
        consultation_id,
        author=api_user(),
        body=data["body"],
        internal=data["internal"],
        now=clock.now(),
        settings=settings_from(current_app.config),
    )
    return message, 201


@blp.route("/advisory/consultations/<int:consultation_id>/escalate", methods=["POST"])
@blp.doc(operationId="escalateConsultation", security=SECURITY)
@blp.arguments(AdvisoryEscalateInSchema)
@blp.response(200, AdvisoryConsultationSchema)
@blp.alt_response(403, description="Not an officer, or the person is not subject-matter staff")
@blp.alt_response(409, description="The consultation is no longer open")
@token_required
def escalate_consultation(data: dict[str, Any], consultation_id: int) -> Any:
    """Ask subject-matter staff to help with a deep question (officers)."""
    return consultations.escalate(
        db.session(),
        consultation_id,
        specialist_id=data["specialist_id"],
        note=data["note"],
        actor=api_user(),
        now=clock.now(),
    )


@blp.route("/advisory/consultations/<int:consultation_id>/answer", methods=["POST"])
@blp.doc(operationId="answerConsultation", security=SECURITY)
@blp.arguments(AdvisoryAnswerInSchema)
@blp.response(200, AdvisoryConsultationSchema)
@blp.alt_response(403, description="Not an officer or the specialist asked")
@token_required
def answer_consultation(data: dict[str, Any], consultation_id: int) -> Any:
    """Answer: the service is given (recorded by the front desk, rating invited)."""
    return consultations.answer(
        db.session(),
        current_store(),
        consultation_id,
        actor=api_user(),
        body=data["body"],
        now=clock.now(),
        settings=settings_from(current_app.config),
    )


# --- recommendations ------------------------------------------------------------------


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in FS3_FIELDS}


@blp.route("/advisory/recommendations", methods=["POST"])
@blp.doc(operationId="createRecommendationRequest", security=SECURITY)
@blp.arguments(AdvisoryFs3Schema)
@blp.response(201, AdvisoryRecommendationSchema)
@token_required
def create_recommendation(data: dict[str, Any]) -> Any:
    """Start a recommendation request (the FS3 form) as a draft."""
    r = recommendations.create_draft(
        db.session(), requester=api_user(), fields=_fields(data), now=clock.now()
    )
    return r, 201, {"Location": url_for("advisory_api.get_recommendation", rec_id=r.id)}


@blp.route("/advisory/recommendations/<int:rec_id>", methods=["GET"])
@blp.doc(operationId="getRecommendationRequest", security=SECURITY)
@blp.response(200, AdvisoryRecommendationSchema)
@blp.alt_response(404, description="No such request (or not yours)")
@token_required
def get_recommendation(rec_id: int) -> Any:
    """A request with every submitted version and its letter."""
    return recommendations.get_recommendation(db.session(), rec_id, api_user())


@blp.route("/advisory/recommendations/<int:rec_id>", methods=["PATCH"])
@blp.doc(operationId="updateRecommendationRequest", security=SECURITY)
@blp.arguments(AdvisoryFs3Schema)
@blp.response(200, AdvisoryRecommendationSchema)
@blp.alt_response(409, description="Not a draft or a returned form")
@token_required
def update_recommendation(data: dict[str, Any], rec_id: int) -> Any:
    """Change fields of a draft or of a form returned for revision."""
    return recommendations.update_draft(
        db.session(), rec_id, actor=api_user(), fields=_fields(data), now=clock.now()
    )


@blp.route("/advisory/recommendations/<int:rec_id>/submit", methods=["POST"])
@blp.doc(operationId="submitRecommendationRequest", security=SECURITY)
@blp.response(200, AdvisoryRecommendationSchema)
@blp.alt_response(409, description="Already submitted")
@blp.alt_response(422, description="Required fields are missing")
@token_required
def submit_recommendation(rec_id: int) -> Any:
    """Submit the form for verification (a new version; the deadline starts)."""
    return recommendations.submit(
        db.session(),
        rec_id,
        actor=api_user(),
        now=clock.now(),
        settings=settings_from(current_app.config),
    )


@blp.route("/advisory/recommendations/<int:rec_id>/review", methods=["POST"])
@blp.doc(operationId="reviewRecommendationRequest", security=SECURITY)
@blp.arguments(AdvisoryReviewInSchema)
@blp.response(200, AdvisoryRecommendationSchema)
@blp.alt_response(403, description="Not an officer")
@blp.alt_response(409, description="Not waiting for verification")
@blp.alt_response(422, description="Checklist incomplete for a pass, or no note for a return")
@token_required
def review_recommendation(data: dict[str, Any], rec_id: int) -> Any:
    """Verify the submitted version: pass it to the head, or return it for revision."""
    return recommendations.review(
        db.session(),
        rec_id,
        actor=api_user(),
        outcome=data["outcome"],
        checklist=data["checklist"],
        note=data["note"],
        now=clock.now(),
    )


@blp.route("/advisory/recommendations/<int:rec_id>/approve", methods=["POST"])
@blp.doc(operationId="approveRecommendationRequest", security=SECURITY)
@blp.response(200, AdvisoryLetterSchema)
@blp.alt_response(403, description="Not the head of the office")
@blp.alt_response(409, description="Not verified yet")
@token_required
def approve_recommendation(rec_id: int) -> Any:
    """The head approves: the numbered recommendation letter is issued and mailed."""
    letter: Letter = recommendations.approve(
        db.session(),
        current_store(),
        rec_id,
        actor=api_user(),
        now=clock.now(),
        settings=settings_from(current_app.config),
    )
    return letter


@blp.route("/advisory/recommendations/<int:rec_id>/return-to-officer", methods=["POST"])
@blp.doc(operationId="returnRecommendationToOfficer", security=SECURITY)
@blp.arguments(AdvisoryHeadReturnInSchema)
@blp.response(200, AdvisoryRecommendationSchema)
@blp.alt_response(403, description="Not the head of the office")
@blp.alt_response(409, description="Not verified yet")
@token_required
def return_recommendation_to_officer(data: dict[str, Any], rec_id: int) -> Any:
    """The head returns a verified request to the officer's verification with a note."""
    return recommendations.return_to_officer(
        db.session(), rec_id, actor=api_user(), note=data["note"], now=clock.now()
    )


@blp.route("/advisory/letters/verify", methods=["GET"])
@blp.doc(operationId="verifyLetter")
@blp.arguments(AdvisoryVerifyArgsSchema, location="query")
@blp.response(200, AdvisoryVerifySchema)
@limiter.limit(lambda: str(current_app.config["ADVISORY_VERIFY_RATE_LIMIT"]))
def verify_letter(args: dict[str, Any]) -> Any:
    """Check a letter's number against its verification code (public, no token).

    A genuine letter comes back with what it says; any other answer means the letter
    is not one the office issued with this number and code."""
    result = letters.verify(
        db.session(), args["number"], args["code"], settings=settings_from(current_app.config)
    )
    return {"status": result.status, "genuine": result.genuine, "letter": result.letter}
