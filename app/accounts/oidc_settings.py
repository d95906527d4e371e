"""The settings of staff sign-in through OpenID Connect: their declaration
(:data:`SETTINGS`, ``pst settings`` lists them) and :class:`Settings`, what the protocol
client reads of an app's configuration (checked once, at the start)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.accounts.models import STAFF_ROLES, Role
from app.settings import ConfigurationError, Setting, declare

S = Setting
#: The settings of SSO sign-in; ``OIDC_ISSUER`` unset turns it off.
SETTINGS = declare(
    S("OIDC_ISSUER", str, None, "OpenID provider (Keycloak: https://host/realms/<realm>)"),
    S("OIDC_CLIENT_ID", str, None, "PST's client id at the provider"),
    S("OIDC_CLIENT_SECRET", str, None, "Client secret (unset: a public client)", secret=True),
    S("OIDC_SCOPES", list[str], ["openid", "email", "profile"], "Scopes asked for"),
    S(
        "OIDC_ROLES_CLAIM",
        str,
        "realm_access.roles",
        "Dotted path of the roles claim (realm_access.roles, groups…)",
    ),
    S("OIDC_ROLE_MAP", dict, {}, 'Claim value -> PST role, e.g. {"pst-admin": "admin"}'),
    S("OIDC_BUTTON_LABEL", str, "SSO BPS", "What the sign-in button names the provider"),
    S("OIDC_SKIP_LOCAL_TOTP", bool, True, "An SSO sign-in skips PST's own authenticator step"),
    S(
        "OIDC_MFA_VALUES",
        list[str],
        [],
        "If set, skip PST's authenticator only when the token's acr/amr holds one of these",
    ),
    S("OIDC_TIMEOUT_S", int, 10, "Timeout of each call to the provider (seconds)"),
    S("OIDC_CACHE_SECONDS", int, 3600, "How long discovery and keys are kept (seconds)"),
    S("LOCAL_STAFF_PASSWORDS", bool, True, "Staff may sign in with a PST password (off: SSO only)"),
)


@dataclass(frozen=True)
class Settings:
    """What SSO sign-in needs from the configuration (see :data:`SETTINGS`)."""

    issuer: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    roles_claim: str = "realm_access.roles"
    role_map: Mapping[str, Role] = field(default_factory=dict)
    button_label: str = "SSO BPS"
    skip_local_totp: bool = True
    mfa_values: tuple[str, ...] = ()
    timeout: float = 10.0
    cache_seconds: int = 3600

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)


def settings_from(config: Mapping[str, Any]) -> Settings:
    """The SSO settings of an app's configuration; a role map naming no staff role, or
    scopes without ``openid``, stop the start (:class:`ConfigurationError`)."""
    role_map: dict[str, Role] = {}
    for claim_value, role_name in dict(config.get("OIDC_ROLE_MAP") or {}).items():
        try:
            role = Role(str(role_name))
        except ValueError:
            role = None
        if role not in STAFF_ROLES:
            staff = ", ".join(sorted(str(r.value) for r in STAFF_ROLES))
            raise ConfigurationError(
                f"PST_OIDC_ROLE_MAP: {claim_value!r} maps to {role_name!r}, which is not a "
                f"staff role (one of: {staff})."
            )
        role_map[str(claim_value)] = role  # type: ignore[assignment]
    scopes = tuple(config.get("OIDC_SCOPES") or ("openid",))
    if "openid" not in scopes:
        raise ConfigurationError("PST_OIDC_SCOPES must include openid.")
    issuer = config.get("OIDC_ISSUER") or None
    if issuer and not config.get("OIDC_CLIENT_ID"):
        raise ConfigurationError("PST_OIDC_ISSUER is set: PST_OIDC_CLIENT_ID must be too.")
    if not issuer and config.get("LOCAL_STAFF_PASSWORDS") is False:
        raise ConfigurationError(
            "PST_LOCAL_STAFF_PASSWORDS=false needs sign-in through SSO (PST_OIDC_ISSUER): "
            "otherwise no staff member could sign in."
        )
    return Settings(
        issuer=str(issuer).rstrip("/") if issuer else None,
        client_id=config.get("OIDC_CLIENT_ID") or None,
        client_secret=config.get("OIDC_CLIENT_SECRET") or None,
        scopes=scopes,
        roles_claim=str(config.get("OIDC_ROLES_CLAIM") or "realm_access.roles"),
        role_map=role_map,
        button_label=str(config.get("OIDC_BUTTON_LABEL") or "SSO"),
        skip_local_totp=bool(config.get("OIDC_SKIP_LOCAL_TOTP", True)),
        mfa_values=tuple(config.get("OIDC_MFA_VALUES") or ()),
        timeout=float(config.get("OIDC_TIMEOUT_S") or 10),
        cache_seconds=int(config.get("OIDC_CACHE_SECONDS") or 0),
    )
