"""Everything PST holds about a person, for that person (UU 27/2022, right of access).

The account's own section (:data:`ACCOUNT_SECTION`: profile with the whole ID number —
this is its owner asking —, API tokens, two-factor sign-in, erasure requests, the
account's events in the audit trail) comes first, then every section a feature
registered (:mod:`app.accounts.rights`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.accounts import rights
from app.accounts.consent_models import Consent
from app.accounts.erasure_models import ErasureRequest
from app.accounts.models import ApiToken, SsoIdentity, TwoFactor, User
from app.audit import AuditEvent

#: The profile fields a person gave (and may correct), exported as they are stored.
PROFILE_EXPORT = (
    "id",
    "email",
    "full_name",
    "phone",
    "id_type",
    "id_number",
    "institution",
    "institution_kind",
    "occupation",
    "education",
    "gender",
    "birth_year",
    "locale",
    "role",
    "active",
    "email_verified_at",
    "last_login_at",
    "created_at",
    "updated_at",
)


def _account(session: Session, user: User) -> dict[str, Any]:
    two_factor = session.get(TwoFactor, user.id)
    events = session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                (AuditEvent.subject_type == "user") & (AuditEvent.subject_id == str(user.id)),
            )
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return {
        "profile": rights.row(user, *PROFILE_EXPORT),
        "api_tokens": [
            rights.row(t, "name", "prefix", "created_at", "last_used_at", "revoked_at")
            for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
        ],
        "consents": [
            {
                "notice_version": c.notice.number,
                **rights.row(c, "channel", "given_at", "locale", "visit_id"),
            }
            for c in session.scalars(
                select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)
            )
        ],
        "sso_identities": [
            rights.row(i, "issuer", "subject", "created_at", "last_login_at")
            for i in session.scalars(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
        ],
        "two_factor": {
            "enabled": two_factor is not None and two_factor.confirmed_at is not None,
            "confirmed_at": rights.plain(two_factor.confirmed_at) if two_factor else None,
        },
        "erasure_requests": [
            rights.row(r, "id", "status", "reason", "requested_at", "closed_at")
            for r in session.scalars(
                select(ErasureRequest)
                .where(ErasureRequest.user_id == user.id)
                .order_by(ErasureRequest.id)
            )
        ],
        "audit_events": [
            rights.row(e, "at", "action", "subject_type", "subject_id", "ip") for e in events
        ],
    }


#: The kernel's own section: the account and what the accounts package keeps of it.
ACCOUNT_SECTION = rights.Section(
    key="account",
    title=_l("Account and profile"),
    tables=(
        "users",
        "api_tokens",
        "two_factor",
        "recovery_codes",
        "erasure_requests",
        "sso_identities",
        "privacy_consents",
    ),
    exporter=_account,
)


def export_personal_data(session: Session, user: User, *, now: datetime) -> dict[str, Any]:
    """Every section's records of ``user`` as one JSON-ready document."""
    found: dict[str, Any] = {}
    titles: dict[str, str] = {}
    every: list[rights.PersonalDataSection] = [ACCOUNT_SECTION, *rights.sections()]
    for section in every:
        found[section.key] = section.export(session, user)
        titles[section.key] = str(section.title)
    return {
        "format": "pst-personal-data/1",
        "generated_at": now.isoformat(),
        "subject": {"id": user.id, "full_name": user.full_name},
        "section_titles": titles,
        "sections": found,
    }
