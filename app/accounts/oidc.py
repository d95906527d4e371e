"""Staff sign-in through OpenID Connect (SSO BPS, a Keycloak realm): the protocol client's
flow, without a database or Flask — the authorization request, the code's exchange for
tokens, the ID token's checks, userinfo and the provider's sign-out address.

The flow is the authorization code flow with PKCE (S256), ``state`` (bound to the
browser's session, one use) and ``nonce`` (bound to the ID token). Around it:
:mod:`app.accounts.oidc_settings` (the configuration), :mod:`app.accounts.oidc_errors`
(the refusals), :mod:`app.accounts.oidc_provider` (discovery and signing keys, cached)
and :mod:`app.accounts.oidc_identity` (the person and role of verified claims).

Library choice: ``joserfc`` (JWS/JWK, by Authlib's author, maintained, typed) verifies
signatures, and ``requests`` speaks HTTP. Authlib's Flask client would hide the steps
these modules must control: which errors become which refusal (each is counted by the
rate limits and audited), where the pending state lives (the session, one use), the
clock (the app's, so tests can stand after a token's expiry) and the algorithms
accepted (asymmetric ones only: never ``none`` nor an HMAC keyed by a public secret).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import requests
from joserfc import jwt
from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError

from app.accounts.oidc_errors import SsoRejected, SsoUnavailable
from app.accounts.oidc_identity import Identity, identity_from
from app.accounts.oidc_provider import Provider, get_json, json_answer, signing_keys
from app.accounts.oidc_settings import Settings

log = logging.getLogger(__name__)

#: Clock skew tolerated on ``exp`` and ``iat`` (seconds).
LEEWAY = 60


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the redirect and the callback."""

    state: str
    nonce: str
    verifier: str


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
        error = json_answer(response, "token_endpoint").get("error")
        if error == "invalid_grant":  # used, expired, or not issued for this verifier
            raise SsoRejected("code")
        # invalid_client and the like: PST's registration at the provider is wrong.
        log.warning("sso token endpoint refused the client: %.40s", error)
        raise SsoUnavailable("token_endpoint")
    if response.status_code != 200:
        raise SsoUnavailable("token_endpoint")
    body = json_answer(response, "token_endpoint")
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
    body = get_json(
        provider.userinfo_endpoint,
        settings,
        "userinfo",
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    if body.get("sub") != subject:
        raise SsoRejected("userinfo_subject")
    return body


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
