"""The advisory's JSON API resources: the marshmallow schemas of consultations, their
messages and letters, recommendation requests (the FS3 form, its versions and review)
and the public letter verification, as :mod:`advisory.api`'s routes take and give them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for

from advisory import consultations, letters, recommendations
from advisory.labels import CHECKLIST
from advisory.models import Consultation, ConsultationKind
from advisory.recommendations import FREQUENCIES
from app.api.auth import api_user


class AdvisoryAttachmentSchema(ma.Schema):
    id = ma.fields.Integer()
    filename = ma.fields.String()
    size = ma.fields.Integer()
    content_type = ma.fields.String()
    url = ma.fields.Function(
        lambda a: url_for("advisory.attachment", attachment_id=a.id, _external=True)
    )


class AdvisoryMessageSchema(ma.Schema):
    id = ma.fields.Integer()
    author = ma.fields.Function(lambda m: m.author.full_name if m.author else None)
    body = ma.fields.String()
    internal = ma.fields.Boolean()
    is_answer = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    attachments = ma.fields.List(ma.fields.Nested(AdvisoryAttachmentSchema))


class AdvisoryLetterSchema(ma.Schema):
    number = ma.fields.String(metadata={"example": "B-001/1700/PS.000/2026"})
    kind = ma.fields.Function(lambda x: x.kind.value)
    issued_on = ma.fields.Date()
    recipient = ma.fields.String()
    title = ma.fields.String()
    details = ma.fields.Function(lambda x: x.detail_map)
    pdf_sha256 = ma.fields.String()
    pdf_url = ma.fields.Function(
        lambda x: url_for("advisory.letter_pdf", letter_id=x.id, _external=True)
    )
    verify_url = ma.fields.Function(lambda x: letters.verify_url(x))


class AdvisoryConsultationSummarySchema(ma.Schema):
    id = ma.fields.Integer()
    reference = ma.fields.String(metadata={"example": "K-000012"})
    kind = ma.fields.Function(lambda c: c.kind.value)
    channel = ma.fields.Function(lambda c: c.channel.value)
    status = ma.fields.Function(lambda c: c.status.value)
    subject = ma.fields.String()
    topic = ma.fields.String()
    received_at = ma.fields.DateTime()
    received_on = ma.fields.Date(
        metadata={"description": "The day of receipt by the service calendar"}
    )
    due_on = ma.fields.Date(metadata={"description": "3 working days after receipt"})
    agreed_due_on = ma.fields.Date(allow_none=True)
    deadline = ma.fields.Date()
    assigned_to = ma.fields.Function(lambda c: c.assigned_to.full_name if c.assigned_to else None)
    answered_at = ma.fields.DateTime(allow_none=True)
    url = ma.fields.Function(
        lambda c: url_for("advisory.consultation", consultation_id=c.id, _external=True)
    )
    letters = ma.fields.List(ma.fields.Nested(AdvisoryLetterSchema))


class AdvisoryConsultationSchema(AdvisoryConsultationSummarySchema):
    messages = ma.fields.Method("_messages")

    def _messages(self, c: Consultation) -> Any:
        user = api_user()
        return AdvisoryMessageSchema(many=True).dump(consultations.visible_messages(c, user))


class AdvisoryConsultationInSchema(ma.Schema):
    subject = ma.fields.String(required=True, validate=ma.validate.Length(3, 200))
    body = ma.fields.String(required=True, validate=ma.validate.Length(3, 20000))
    kind = ma.fields.String(
        load_default=ConsultationKind.QUESTION.value,
        validate=ma.validate.OneOf([k.value for k in ConsultationKind]),
    )
    topic = ma.fields.String(load_default="", validate=ma.validate.Length(max=120))


class AdvisoryMessageInSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(1, 20000))
    internal = ma.fields.Boolean(load_default=False, metadata={"description": "A staff-only note"})


class AdvisoryEscalateInSchema(ma.Schema):
    specialist_id = ma.fields.Integer(
        required=True, metadata={"description": "A subject-matter user"}
    )
    note = ma.fields.String(required=True, validate=ma.validate.Length(1, 5000))


class AdvisoryAnswerInSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(3, 20000))


class AdvisoryFs3Schema(ma.Schema):
    """The FS3 form's fields; all optional in a draft, required ones checked at submission."""

    organiser = ma.fields.String(validate=ma.validate.Length(max=200))
    organiser_address = ma.fields.String(validate=ma.validate.Length(max=1000))
    contact_name = ma.fields.String(validate=ma.validate.Length(max=120))
    contact_phone = ma.fields.String(validate=ma.validate.Length(max=32))
    contact_email = ma.fields.Email(validate=ma.validate.Length(max=254))
    manager_name = ma.fields.String(validate=ma.validate.Length(max=120))
    manager_position = ma.fields.String(validate=ma.validate.Length(max=120))
    title = ma.fields.String(validate=ma.validate.Length(max=300))
    topic = ma.fields.String(validate=ma.validate.Length(max=120))
    objectives = ma.fields.String(validate=ma.validate.Length(max=5000))
    recurrence = ma.fields.String(validate=ma.validate.OneOf(["", "one_off", "recurring"]))
    frequency = ma.fields.String(validate=ma.validate.OneOf(["", *FREQUENCIES]))
    design = ma.fields.String(validate=ma.validate.OneOf(["", "cross_section", "longitudinal"]))
    collection_method = ma.fields.String(validate=ma.validate.Length(max=5000))
    sampling_method = ma.fields.String(validate=ma.validate.Length(max=5000))
    population = ma.fields.String(validate=ma.validate.Length(max=5000))
    sample_size = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(1, 1_000_000_000))
    variables = ma.fields.String(validate=ma.validate.Length(max=5000))
    region = ma.fields.String(validate=ma.validate.Length(max=2000))
    period_start = ma.fields.Date(allow_none=True)
    period_end = ma.fields.Date(allow_none=True)


class AdvisoryVersionSchema(ma.Schema):
    version = ma.fields.Integer()
    submitted_at = ma.fields.DateTime()
    outcome = ma.fields.String(allow_none=True)
    note = ma.fields.String()
    checklist = ma.fields.Function(lambda v: v.checks)
    # Named apart from Schema.fields; "fields" in the document and on the object.
    fs3_fields = ma.fields.Dict(attribute="fields", data_key="fields")


class AdvisoryRecommendationSchema(ma.Schema):
    id = ma.fields.Integer()
    reference = ma.fields.String(metadata={"example": "R-000003"})
    status = ma.fields.Function(lambda r: r.status.value)
    version = ma.fields.Integer(metadata={"description": "Submissions so far"})
    fs3_fields = ma.fields.Function(lambda r: r.fs3(), data_key="fields")
    missing = ma.fields.Function(lambda r: recommendations.missing_fields(r))
    submitted_at = ma.fields.DateTime(allow_none=True)
    due_on = ma.fields.Date(allow_none=True)
    approved_at = ma.fields.DateTime(allow_none=True)
    versions = ma.fields.List(ma.fields.Nested(AdvisoryVersionSchema))
    letter = ma.fields.Nested(AdvisoryLetterSchema, allow_none=True)
    url = ma.fields.Function(
        lambda r: url_for("advisory.recommendation", rec_id=r.id, _external=True)
    )


class AdvisoryReviewInSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(["pass", "return"]))
    checklist = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(list(CHECKLIST))),
        values=ma.fields.Boolean(),
        load_default=dict,
        metadata={"description": "Every item must be true to pass: " + ", ".join(CHECKLIST)},
    )
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class AdvisoryHeadReturnInSchema(ma.Schema):
    note = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=3, max=5000),
        metadata={"description": "What the officer must check or correct"},
    )


class AdvisoryVerifiedLetterSchema(ma.Schema):
    """What a genuine letter says (no links: the verifier may not be its holder)."""

    number = ma.fields.String()
    kind = ma.fields.Function(lambda x: x.kind.value)
    issued_on = ma.fields.Date()
    recipient = ma.fields.String()
    title = ma.fields.String()
    signer_name = ma.fields.String()
    details = ma.fields.Function(lambda x: x.detail_map)
    pdf_sha256 = ma.fields.String()


class AdvisoryVerifyArgsSchema(ma.Schema):
    number = ma.fields.String(required=True, validate=ma.validate.Length(1, 80))
    code = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))


class AdvisoryVerifySchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "genuine | unknown | mismatch"})
    genuine = ma.fields.Boolean()
    letter = ma.fields.Nested(AdvisoryVerifiedLetterSchema, allow_none=True)
