"""Staff sign-in through OpenID Connect (SSO BPS, a Keycloak realm): settings, errors and
the protocol client, without a database or Flask.

The flow is the authorization code flow with PKCE (S256), ``state`` (bound to the
browser's session, one use) and ``nonce`` (bound to the ID token). The provider is found
through discovery (``<issuer>/.well-known/openid-configuration``); its metadata and
signing keys (JWKS) are cached per process for ``OIDC_CACHE_SECONDS``, and the keys are
fetched again — at most once every :data:`JWKS_REFRESH_SECONDS` — when a token names a
key the cache does not hold (the provider rotated its keys).

Library choice: ``joserfc`` (JWS/JWK, by Authlib's author, maintained, typed) verifies
signatures, and ``requests`` speaks HTTP. Authlib's Flask client would hide the steps
this module must control: which errors become which refusal (each is counted by the
rate limits and audited), where the pending state lives (the session, one use), the
clock (the app's, so tests can stand after a token's expiry) and the algorithms
accepted (asymmetric ones only: never ``none`` nor an HMAC keyed by a public secret).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from flask_babel import lazy_gettext as _l
from joserfc import jwt
from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from app.accounts.errors import AccountError
from app.accounts.models import STAFF_ROLES, Role
from app.settings import ConfigurationError, Setting, declare

log = logging.getLogger(__name__)

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

#: Signature algorithms an ID token may use: asymmetric only.
ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
#: Clock skew tolerated on ``exp`` and ``iat`` (seconds).
LEEWAY = 60
#: Least time between two fetches of the keys forced by an unknown key id.
JWKS_REFRESH_SECONDS = 30
#: The most a provider's answer may weigh (discovery, keys, tokens, userinfo).
MAX_ANSWER_BYTES = 256 * 1024
#: Highest first: a person mapped to several roles gets the highest.
_PRECEDENCE = (Role.ADMIN, Role.HEAD, Role.SUBJECT_MATTER, Role.OFFICER, Role.RECEPTIONIST)


# --- errors -----------------------------------------------------------------------------


class SsoError(AccountError):
    """A sign-in through the provider that did not succeed. ``reason`` is a short code
    for the audit trail and the logs (never a token, code or personal data)."""

    status = 400
    reason = "refused"

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        if reason:
            self.reason = reason


class SsoNotConfigured(SsoError):
    status = 404
    reason = "not_configured"
    message = _l("Sign-in through SSO is not set up on this site.")


class SsoUnavailable(SsoError):
    status = 503
    reason = "unavailable"
    message = _l(
        "The SSO service cannot be reached right now. Please try again in a moment, "
        "or sign in with your password if your account has one."
    )


class SsoRejected(SsoError):
    """The answer was tampered with, replayed, expired or meant for someone else."""

    message = _l(
        "The sign-in through SSO could not be completed: its answer was invalid, "
        "already used or expired. Please start again."
    )


class SsoCancelled(SsoError):
    reason = "cancelled"
    message = _l("The sign-in through SSO was cancelled or refused by the SSO service.")


class SsoNoRole(SsoError):
    status = 403
    reason = "no_role"
    message = _l(
        "Your SSO account has no PST staff role. Ask the SSO administrator to grant you "
        "one. Visitors sign in with their PST account (email address and password)."
    )


class SsoNoEmail(SsoError):
    status = 403
    reason = "no_verified_email"
    message = _l(
        "Your SSO account has no verified email address, so no PST account can be "
        "linked to it. Ask the SSO administrator to verify your address."
    )


class SsoLinkConflict(SsoError):
    status = 409
    reason = "link_conflict"
    message = _l(
        "The PST account with this email address is already linked to another SSO "
        "account. Ask a PST administrator."
    )


class SsoInactive(SsoError):
    status = 403
    reason = "inactive"
    message = _l("This PST account is switched off. Ask a PST administrator.")


class LocalPasswordRefused(AccountError):
    """``LOCAL_STAFF_PASSWORDS`` is off and a staff account tried its password."""

    status = 403
    message = _l("Staff accounts sign in through SSO. Use the SSO button below.")


# --- settings ---------------------------------------------------------------------------


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


# --- the provider -----------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """What discovery says about the provider (the parts PST uses)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None
    algorithms: frozenset[str]


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the redirect and the callback."""

    state: str
    nonce: str
    verifier: str


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


_lock = threading.Lock()
_cache: dict[str, tuple[float, Any]] = {}
_forced: dict[str, float] = {}


def _cached(key: str, ttl: int) -> Any:
    with _lock:
        found = _cache.get(key)
    if found is not None and time.monotonic() - found[0] < ttl:
        return found[1]
    return None


def _keep(key: str, value: Any) -> None:
    with _lock:
        _cache[key] = (time.monotonic(), value)


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _secure_url(url: object, issuer: str) -> str:
    """An endpoint of the provider: HTTPS (plain HTTP only for a provider on this
    machine, as in the tests)."""
    if not isinstance(url, str) or not url:
        raise SsoUnavailable("discovery")
    scheme = urlsplit(url).scheme
    if scheme == "https" or (scheme == "http" and _loopback(url) and _loopback(issuer)):
        return url
    raise SsoUnavailable("insecure_endpoint")


def _json(response: requests.Response, reason: str) -> dict[str, Any]:
    if len(response.content) > MAX_ANSWER_BYTES:
        raise SsoUnavailable(reason)
    try:
        body = response.json()
    except ValueError:
        raise SsoUnavailable(reason) from None
    if not isinstance(body, dict):
        raise SsoUnavailable(reason)
    return body


def _get(url: str, settings: Settings, reason: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.timeout, allow_redirects=False, **kwargs)
    except requests.RequestException:
        raise SsoUnavailable(reason) from None
    if response.status_code != 200:
        raise SsoUnavailable(reason)
    return _json(response, reason)


def discover(settings: Settings) -> Provider:
    """The provider's metadata, from the cache or its discovery document."""
    if not settings.enabled or settings.issuer is None:
        raise SsoNotConfigured()
    issuer = settings.issuer
    key = "discovery:" + issuer
    found = _cached(key, settings.cache_seconds)
    if found is not None:
        return found  # type: ignore[no-any-return]
    body = _get(issuer + "/.well-known/openid-configuration", settings, "discovery")
    # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer asked for.
    if str(body.get("issuer", "")).rstrip("/") != issuer:
        raise SsoUnavailable("issuer_mismatch")
    offered = body.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = frozenset(str(alg) for alg in offered) & ALGORITHMS
    if not algorithms:
        raise SsoUnavailable("algorithms")
    if "S256" not in (body.get("code_challenge_methods_supported") or ["S256"]):
        raise SsoUnavailable("pkce")
    userinfo = body.get("userinfo_endpoint")
    end_session = body.get("end_session_endpoint")
    provider = Provider(
        issuer=str(body["issuer"]),
        authorization_endpoint=_secure_url(body.get("authorization_endpoint"), issuer),
        token_endpoint=_secure_url(body.get("token_endpoint"), issuer),
        jwks_uri=_secure_url(body.get("jwks_uri"), issuer),
        userinfo_endpoint=_secure_url(userinfo, issuer) if userinfo else None,
        end_session_endpoint=_secure_url(end_session, issuer) if end_session else None,
        algorithms=algorithms,
    )
    _keep(key, provider)
    return provider


def signing_keys(settings: Settings, provider: Provider, *, refresh: bool = False) -> KeySet:
    """The provider's public keys, from the cache unless ``refresh`` (a token named a
    key the cache lacks; honoured once every :data:`JWKS_REFRESH_SECONDS`)."""
    key = "jwks:" + provider.jwks_uri
    found = _cached(key, settings.cache_seconds)
    if found is not None and refresh:
        with _lock:
            last = _forced.get(key, 0.0)
            if time.monotonic() - last >= JWKS_REFRESH_SECONDS:
                _forced[key] = time.monotonic()
                found = None
    if found is not None:
        return found  # type: ignore[no-any-return]
    body = _get(provider.jwks_uri, settings, "jwks")
    try:
        # Only signing keys: an encryption key of the set cannot verify anything.
        keys = [k for k in body.get("keys", []) if isinstance(k, dict) and k.get("use") != "enc"]
        keyset = KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError):
        raise SsoUnavailable("jwks") from None
    _keep(key, keyset)
    return keyset


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_pending() -> Pending:
    """Fresh ``state``, ``nonce`` and PKCE verifier (RFC 7636: 43+ characters)."""
    return Pending(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(48),
    )


def authorization_url(
    settings: Settings, provider: Provider, pending: Pending, redirect_uri: str
) -> str:
    """Where the browser goes to sign in at the provider."""
    challenge = _b64(hashlib.sha256(pending.verifier.encode("ascii")).digest())
    query = {
        "response_type": "code",
        "client_id": settings.client_id or "",
        "redirect_uri": redirect_uri,
        "scope": " ".join(settings.scopes),
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return provider.authorization_endpoint + separator + urlencode(query)


def check_state(pending: Pending | None, state: str | None) -> Pending:
    """The pending sign-in whose ``state`` came back, or :class:`SsoRejected`."""
    if pending is None or not state or not hmac.compare_digest(pending.state, state):
        raise SsoRejected("state")
    return pending


def exchange_code(
    settings: Settings, provider: Provider, code: str, pending: Pending, redirect_uri: str
) -> dict[str, Any]:
    """The token endpoint's answer for ``code`` (with the PKCE verifier)."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": pending.verifier,
    }
    auth: tuple[str, str] | None = None
    if settings.client_secret:
        auth = (settings.client_id or "", settings.client_secret)  # client_secret_basic
    else:
        data["client_id"] = settings.client_id or ""  # a public client
    try:
        response = requests.post(
            provider.token_endpoint,
            data=data,
            auth=auth,
            timeout=settings.timeout,
            allow_redirects=False,
            headers={"Accept": "application/json"},
        )
    except requests.RequestException:
        raise SsoUnavailable("token_endpoint") from None
    if response.status_code in (400, 401):
        error = _json(response, "token_endpoint").get("error")
        if error == "invalid_grant":  # used, expired, or not issued for this verifier
            raise SsoRejected("code")
        # invalid_client and the like: PST's registration at the provider is wrong.
        log.warning("sso token endpoint refused the client: %.40s", error)
        raise SsoUnavailable("token_endpoint")
    if response.status_code != 200:
        raise SsoUnavailable("token_endpoint")
    body = _json(response, "token_endpoint")
    if not isinstance(body.get("id_token"), str):
        raise SsoRejected("no_id_token")
    return body


def verify_id_token(
    settings: Settings, provider: Provider, token: str, *, nonce: str, now: datetime
) -> dict[str, Any]:
    """The claims of ``token`` once its signature (by the provider's keys), issuer,
    audience, expiry, issue time and nonce are checked; else :class:`SsoRejected`."""
    algorithms = sorted(provider.algorithms)
    try:
        try:
            decoded = jwt.decode(token, signing_keys(settings, provider), algorithms=algorithms)
        except InvalidKeyIdError:  # the provider may have rotated its keys
            keys = signing_keys(settings, provider, refresh=True)
            decoded = jwt.decode(token, keys, algorithms=algorithms)
    except (BadSignatureError, InvalidKeyIdError):
        raise SsoRejected("signature") from None
    except (JoseError, ValueError, TypeError):
        raise SsoRejected("token") from None
    claims = dict(decoded.claims)
    moment = int(now.timestamp())
    if claims.get("iss") != provider.issuer:
        raise SsoRejected("issuer")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or settings.client_id not in audiences:
        raise SsoRejected("audience")
    if len(audiences) > 1 and claims.get("azp", settings.client_id) != settings.client_id:
        raise SsoRejected("audience")
    expires, issued = claims.get("exp"), claims.get("iat")
    if not isinstance(expires, int | float) or moment > expires + LEEWAY:
        raise SsoRejected("expired")
    if not isinstance(issued, int | float) or issued > moment + LEEWAY:
        raise SsoRejected("issued_in_future")
    got = claims.get("nonce")
    if not isinstance(got, str) or not hmac.compare_digest(got, nonce):
        raise SsoRejected("nonce")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise SsoRejected("token")
    return claims


def fetch_userinfo(
    settings: Settings, provider: Provider, access_token: str, subject: str
) -> dict[str, Any]:
    """The userinfo claims (empty when the provider has no such endpoint). A ``sub``
    other than the ID token's is refused (OpenID Connect Core §5.3.2)."""
    if not provider.userinfo_endpoint:
        return {}
    body = _get(
        provider.userinfo_endpoint,
        settings,
        "userinfo",
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    if body.get("sub") != subject:
        raise SsoRejected("userinfo_subject")
    return body


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


def sign_in(
    settings: Settings,
    provider: Provider,
    pending: Pending,
    *,
    code: str,
    redirect_uri: str,
    now: datetime,
) -> Identity:
    """Everything after the callback's state check: the code for tokens, the ID token
    verified, userinfo merged (the ID token's claims win)."""
    tokens = exchange_code(settings, provider, code, pending, redirect_uri)
    id_token = str(tokens["id_token"])
    claims = verify_id_token(settings, provider, id_token, nonce=pending.nonce, now=now)
    access_token = tokens.get("access_token")
    if isinstance(access_token, str) and access_token:
        claims = {**fetch_userinfo(settings, provider, access_token, claims["sub"]), **claims}
    return identity_from(settings, provider, id_token, claims)


def skips_local_totp(settings: Settings, identity: Identity) -> bool:
    """Whether this SSO sign-in stands in for PST's own authenticator step."""
    if not settings.skip_local_totp:
        return False
    if not settings.mfa_values:
        return True
    return bool(identity.methods & set(settings.mfa_values))


def logout_url(
    settings: Settings, provider: Provider, *, id_token: str | None, return_to: str
) -> str | None:
    """The provider's RP-initiated logout address, when it has one."""
    if not provider.end_session_endpoint:
        return None
    query = {"post_logout_redirect_uri": return_to, "client_id": settings.client_id or ""}
    if id_token:
        query["id_token_hint"] = id_token
    separator = "&" if "?" in provider.end_session_endpoint else "?"
    return provider.end_session_endpoint + separator + urlencode(query)


def pending_to_session(pending: Pending) -> dict[str, str]:
    return {"state": pending.state, "nonce": pending.nonce, "verifier": pending.verifier}


def pending_from_session(data: object) -> Pending | None:
    if not isinstance(data, dict):
        return None
    values = [data.get(k) for k in ("state", "nonce", "verifier")]
    if not all(isinstance(v, str) and v for v in values):
        return None
    return Pending(*values)  # type: ignore[arg-type]
