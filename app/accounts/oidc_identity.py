"""Who a verified sign-in says the person is: :class:`Identity`, built from the ID token's
claims (completed by userinfo), with the PST staff role its roles claim maps to and
whether it stands in for PST's own authenticator step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.accounts.models import Role
from app.accounts.oidc_provider import Provider
from app.accounts.oidc_settings import Settings

#: Highest first: a person mapped to several roles gets the highest.
_PRECEDENCE = (Role.ADMIN, Role.HEAD, Role.SUBJECT_MATTER, Role.OFFICER, Role.RECEPTIONIST)


@dataclass(frozen=True)
class Identity:
    """A verified sign-in: who the provider says the person is."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    role: Role | None
    #: The ID token's ``acr`` and ``amr`` values (how the person authenticated).
    methods: frozenset[str]
    id_token: str


def claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``realm_access.roles``), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def mapped_role(settings: Settings, claims: Mapping[str, Any]) -> Role | None:
    """The highest PST staff role the roles claim maps to, or None."""
    value = claim_at(claims, settings.roles_claim)
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        return None
    # Keycloak's group paths start with a slash ("/pst-admin") when "full path" is on.
    granted = {
        settings.role_map.get(str(v)) or settings.role_map.get(str(v).lstrip("/")) for v in values
    }
    for role in _PRECEDENCE:
        if role in granted:
            return role
    return None


def identity_from(
    settings: Settings, provider: Provider, id_token: str, claims: Mapping[str, Any]
) -> Identity:
    """The person of verified ``claims`` (the ID token's, completed by userinfo)."""
    email = claims.get("email")
    verified = claims.get("email_verified")
    name = claims.get("name") or claims.get("preferred_username")
    methods: set[str] = set()
    if isinstance(claims.get("acr"), str):
        methods.add(claims["acr"])
    amr = claims.get("amr")
    if isinstance(amr, list):
        methods.update(str(m) for m in amr)
    return Identity(
        issuer=provider.issuer,
        subject=str(claims["sub"]),
        email=email if isinstance(email, str) and email else None,
        # Only a JSON true: a string "true" or a missing claim is not a verified address.
        email_verified=verified is True,
        name=str(name)[:120] if isinstance(name, str) and name.strip() else None,
        role=mapped_role(settings, claims),
        methods=frozenset(methods),
        id_token=id_token,
    )


def skips_local_totp(settings: Settings, identity: Identity) -> bool:
    """Whether this SSO sign-in stands in for PST's own authenticator step."""
    if not settings.skip_local_totp:
        return False
    if not settings.mfa_values:
        return True
    return bool(identity.methods & set(settings.mfa_values))
