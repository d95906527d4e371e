"""What a signed-in person changes on their own account: profile, language, password."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.passwords import hash_password, verify_password
from app.accounts.services.sign_in import end_sessions
from app.accounts.services.trail import trail
from app.uow import transactional

#: Profile fields a person may set on themselves (registration and profile page).
PROFILE_FIELDS = (
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
)


@transactional
def update_profile(session: Session, user: User, profile: Mapping[str, Any]) -> User:
    changed = sorted(k for k in PROFILE_FIELDS if k in profile and getattr(user, k) != profile[k])
    for key in changed:
        setattr(user, key, profile[key])
    if changed:
        trail(
            session, "account.profile_updated", user, actor_id=user.id, detail={"fields": changed}
        )
    return user


@transactional
def set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = locale


@transactional
def change_password(session: Session, user: User, current: str, new: str) -> bool:
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    end_sessions(user)  # the caller renews the session that made the change
    trail(session, "account.password_changed", user, actor_id=user.id)
    return True
