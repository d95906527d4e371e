"""The OpenID provider as PST knows it: its discovery document
(``<issuer>/.well-known/openid-configuration``) and its signing keys (JWKS), fetched over
HTTP with bounded answers and no redirects.

Both are cached per process for ``OIDC_CACHE_SECONDS``; the keys are fetched again — at
most once every :data:`JWKS_REFRESH_SECONDS` — when a token names a key the cache does
not hold (the provider rotated its keys). Every failure to reach or read the provider is
:class:`~app.accounts.oidc_errors.SsoUnavailable`.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.accounts.oidc_errors import SsoNotConfigured, SsoUnavailable
from app.accounts.oidc_settings import Settings

#: Signature algorithms an ID token may use: asymmetric only.
ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
#: Least time between two fetches of the keys forced by an unknown key id.
JWKS_REFRESH_SECONDS = 30
#: The most a provider's answer may weigh (discovery, keys, tokens, userinfo).
MAX_ANSWER_BYTES = 256 * 1024


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


def json_answer(response: requests.Response, reason: str) -> dict[str, Any]:
    """The JSON object a provider answered, or :class:`SsoUnavailable` with ``reason``."""
    if len(response.content) > MAX_ANSWER_BYTES:
        raise SsoUnavailable(reason)
    try:
        body = response.json()
    except ValueError:
        raise SsoUnavailable(reason) from None
    if not isinstance(body, dict):
        raise SsoUnavailable(reason)
    return body


def get_json(url: str, settings: Settings, reason: str, **kwargs: Any) -> dict[str, Any]:
    """A GET of the provider's ``url`` (no redirects) answered 200 with a JSON object."""
    try:
        response = requests.get(url, timeout=settings.timeout, allow_redirects=False, **kwargs)
    except requests.RequestException:
        raise SsoUnavailable(reason) from None
    if response.status_code != 200:
        raise SsoUnavailable(reason)
    return json_answer(response, reason)


def discover(settings: Settings) -> Provider:
    """The provider's metadata, from the cache or its discovery document."""
    if not settings.enabled or settings.issuer is None:
        raise SsoNotConfigured()
    issuer = settings.issuer
    key = "discovery:" + issuer
    found = _cached(key, settings.cache_seconds)
    if found is not None:
        return found  # type: ignore[no-any-return]
    body = get_json(issuer + "/.well-known/openid-configuration", settings, "discovery")
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
    body = get_json(provider.jwks_uri, settings, "jwks")
    try:
        # Only signing keys: an encryption key of the set cannot verify anything.
        keys = [k for k in body.get("keys", []) if isinstance(k, dict) and k.get("use") != "enc"]
        keyset = KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError):
        raise SsoUnavailable("jwks") from None
    _keep(key, keyset)
    return keyset
