"""Translatable names of the advisory's states and choices (pages, mails, forms)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from advisory.models import (
    Channel,
    ConsultationKind,
    ConsultationStatus,
    Design,
    LetterKind,
    RecommendationFileKind,
    RecommendationStatus,
    Recurrence,
)

KIND_LABELS = {
    ConsultationKind.QUESTION: _l("Statistical consultation"),
    ConsultationKind.DATA_REQUEST: _l("Data request"),
}
CONSULTATION_STATUS_LABELS = {
    ConsultationStatus.NEW: _l("received"),
    ConsultationStatus.ASSIGNED: _l("being handled"),
    ConsultationStatus.ESCALATED: _l("with a subject-matter specialist"),
    ConsultationStatus.ANSWERED: _l("answered"),
    ConsultationStatus.CLOSED: _l("closed"),
    ConsultationStatus.CANCELLED: _l("cancelled"),
}
CHANNEL_LABELS = {
    Channel.ONLINE: _l("Online"),
    Channel.EMAIL: _l("Email"),
    Channel.WALK_IN: _l("Walk-in"),
}
RECOMMENDATION_STATUS_LABELS = {
    RecommendationStatus.DRAFT: _l("draft"),
    RecommendationStatus.SUBMITTED: _l("submitted, waiting for verification"),
    RecommendationStatus.RETURNED: _l("returned for revision"),
    RecommendationStatus.PASSED: _l("verified, waiting for the head's approval"),
    RecommendationStatus.APPROVED: _l("approved, letter issued"),
    RecommendationStatus.WITHDRAWN: _l("withdrawn"),
}
RECURRENCE_LABELS = {Recurrence.ONE_OFF: _l("One-off"), Recurrence.RECURRING: _l("Recurring")}
DESIGN_LABELS = {
    Design.CROSS_SECTION: _l("Cross-section"),
    Design.LONGITUDINAL: _l("Longitudinal (panel)"),
}
FREQUENCY_LABELS = {
    "monthly": _l("Monthly"),
    "quarterly": _l("Quarterly"),
    "semester": _l("Every six months"),
    "yearly": _l("Yearly"),
    "multi_year": _l("Every few years"),
    "other": _l("Other"),
}
LETTER_KIND_LABELS = {
    LetterKind.RECOMMENDATION: _l("Recommendation letter for a statistical activity"),
    LetterKind.DATA_REQUEST: _l("Data request letter"),
}
FS3_LABELS = {
    "organiser": _l("Organiser (institution)"),
    "organiser_address": _l("Organiser's address"),
    "contact_name": _l("Contact person"),
    "contact_phone": _l("Contact phone"),
    "contact_email": _l("Contact email"),
    "manager_name": _l("Survey manager"),
    "manager_position": _l("Survey manager's position"),
    "title": _l("Title of the activity"),
    "topic": _l("Topic"),
    "objectives": _l("Objectives"),
    "recurrence": _l("One-off or recurring"),
    "frequency": _l("Frequency"),
    "design": _l("Longitudinal or cross-section"),
    "collection_method": _l("Data collection method"),
    "sampling_method": _l("Sampling method"),
    "population": _l("Population (target)"),
    "sample_size": _l("Sample size"),
    "variables": _l("Variables collected"),
    "region": _l("Region covered"),
    "period_start": _l("Schedule: start"),
    "period_end": _l("Schedule: end"),
}
FILE_KIND_LABELS = {
    RecommendationFileKind.COVER_LETTER: _l("Covering letter"),
    RecommendationFileKind.PAPER_FORM: _l("Scanned paper FS3 form"),
}
#: Steps of a request's history (its audit trail).
HISTORY_LABELS = {
    "created": _l("created"),
    "submitted": _l("submitted"),
    "passed": _l("verified and passed"),
    "returned": _l("returned to the requester for revision"),
    "previewed": _l("letter previewed by the head"),
    "head_returned": _l("returned by the head to the officer"),
    "approved": _l("approved, letter issued"),
    "withdrawn": _l("withdrawn"),
    "file_attached": _l("document attached"),
}
#: The verification checklist (SOP-1-04 step 7: "until complete and clear").
CHECKLIST = {
    "identity": _l("Organiser, contact person and survey manager are identified"),
    "objectives": _l("Objectives are clear and statistical"),
    "method": _l("Collection and sampling methods fit the objectives"),
    "population": _l("Population, sample size and region are consistent"),
    "variables": _l("Variables are listed and fit the objectives"),
    "schedule": _l("The schedule is complete and plausible"),
    "duplicates": _l("No duplicate of a planned or past activity (see the check)"),
}
DEADLINE_LABELS = {
    "ok": _l("on time"),
    "due_soon": _l("due soon"),
    "due_today": _l("due today"),
    "overdue": _l("overdue"),
    "done": _l("done"),
}


def label(mapping: dict[Any, Any], value: Any) -> str:
    """The label of ``value`` (an enum or its string), or the value itself."""
    if value is None or value == "":
        return ""
    for key, text in mapping.items():
        if key == value or str(key) == str(value):
            return str(text)
    return str(value)
