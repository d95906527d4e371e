"""Personal API tokens: made once (the plain value is shown once and never kept),
revoked by their owner, and looked up by their digest on every API call."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.accounts.errors import UnknownToken
from app.accounts.models import ApiToken, User
from app.accounts.tokens import digest_api_token, new_api_token
from app.clock import Clock
from app.db import utcnow
from app.uow import transactional

# Writing last_used_at on every API call would turn reads into writes.
_TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


@transactional
def create_api_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """Store a new token for ``user``; the plain value is returned once and never kept."""
    plain = new_api_token()
    token = ApiToken(
        user_id=user.id,
        name=name.strip() or "token",
        prefix=plain[:12],
        token_hash=digest_api_token(plain),
    )
    session.add(token)
    session.flush()
    audit.record(
        session, "token.created", actor_id=user.id, subject_type="api_token", subject_id=token.id
    )
    return token, plain


@transactional
def revoke_api_token(session: Session, user: User, token_id: int, *, now: Clock = utcnow) -> None:
    """Revoke one of ``user``'s own tokens (another person's token is 'not found')."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        raise UnknownToken()
    if token.revoked_at is None:
        token.revoked_at = now()
        audit.record(
            session,
            "token.revoked",
            actor_id=user.id,
            subject_type="api_token",
            subject_id=token.id,
        )


@transactional
def user_for_api_token(session: Session, plain: str, *, now: Clock = utcnow) -> User | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest_api_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    moment = now()
    if token.last_used_at is None or moment - token.last_used_at > _TOKEN_TOUCH_INTERVAL:
        token.last_used_at = moment
    return token.user
