"""ID token verification (app/accounts/oidc.py) on real tokens of a real provider
(tests/oidckit.py): its discovery, its JWKS, its signatures — then each tampering a
forger could try (another key under the same key id, a flipped bit, ``alg: none``,
another audience, issuer or nonce, a token past its expiry) is refused."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import oidckit
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from app.accounts import oidc, oidc_errors, oidc_identity, oidc_settings
from app.accounts.models import Role
from app.accounts.oidc_provider import Provider, discover

CALLBACK = "http://localhost/login/sso/callback"


@dataclass
class Signed:
    settings: oidc_settings.Settings
    provider: Provider
    pending: oidc.Pending
    id_token: str
    access_token: str

    @property
    def claims(self) -> dict[str, Any]:
        payload = self.id_token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.claims["iat"], UTC)


@pytest.fixture(scope="module")
def signed(oidc_provider: Any) -> Signed:
    """One real sign-in at the provider (as "petugas"), its tokens."""
    settings = oidc_settings.settings_from(oidckit.sso_config(oidc_provider))
    provider = discover(settings)
    pending = oidc.new_pending()
    url = oidc.authorization_url(settings, provider, pending, CALLBACK)
    back = oidckit.through_provider(url, "petugas", back_to=CALLBACK)
    code = parse_qs(urlsplit(back).query)["code"][0]
    tokens = oidc.exchange_code(settings, provider, code, pending, CALLBACK)
    return Signed(settings, provider, pending, tokens["id_token"], tokens["access_token"])


def verify(signed: Signed, token: str | None = None, **changes: Any) -> dict[str, Any]:
    settings = replace(signed.settings, **changes.pop("settings", {}))
    return oidc.verify_id_token(
        settings,
        signed.provider,
        token or signed.id_token,
        nonce=changes.pop("nonce", signed.pending.nonce),
        now=changes.pop("now", signed.now),
    )


def refused(reason: str, signed: Signed, token: str | None = None, **changes: Any) -> None:
    with pytest.raises(oidc_errors.SsoRejected) as caught:
        verify(signed, token, **changes)
    assert caught.value.reason == reason


def test_a_real_token_verifies(signed: Signed) -> None:
    claims = verify(signed)
    assert claims["sub"] == "petugas"
    assert claims["aud"] == oidckit.CLIENT_ID
    assert signed.provider.algorithms >= {"RS256"}
    assert signed.provider.end_session_endpoint


def test_signed_by_another_key_under_the_provider_key_id(signed: Signed, oidc_provider) -> None:
    forger = RSAKey.generate_key(2048, parameters={"kid": oidc_provider.kid})
    forged = jwt.encode({"alg": "RS256", "kid": oidc_provider.kid}, signed.claims, forger)
    refused("signature", signed, forged)


def test_signed_by_a_key_the_provider_never_had(signed: Signed) -> None:
    forger = RSAKey.generate_key(2048, parameters={"kid": "forged"})
    forged = jwt.encode({"alg": "RS256", "kid": "forged"}, signed.claims, forger)
    refused("signature", signed, forged)


def test_a_flipped_bit_in_the_payload(signed: Signed) -> None:
    header, payload, signature = signed.id_token.split(".")
    claims = {**signed.claims, "sub": "admin"}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    refused("signature", signed, f"{header}.{body}.{signature}")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    refused("signature", signed, f"{header}.{payload}.{flipped}")


def test_alg_none_and_hmac_are_refused(signed: Signed) -> None:
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    refused("token", signed, b64({"alg": "none"}) + "." + b64(signed.claims) + ".")
    # HS256 keyed with the client secret: valid HMAC, but not the provider's signature.
    key = OctKey.import_key(oidckit.CLIENT_SECRET.encode())
    hmac_token = jwt.encode({"alg": "HS256"}, signed.claims, key)
    with pytest.raises(oidc_errors.SsoRejected):
        verify(signed, hmac_token)


def test_wrong_nonce(signed: Signed) -> None:
    refused("nonce", signed, nonce="another-sign-in")


def test_wrong_audience(signed: Signed) -> None:
    refused("audience", signed, settings={"client_id": "another-app"})


def test_wrong_issuer(signed: Signed) -> None:
    other = replace(signed.provider, issuer="https://sso.example.org/realms/bps")
    with pytest.raises(oidc_errors.SsoRejected) as caught:
        oidc.verify_id_token(
            signed.settings, other, signed.id_token, nonce=signed.pending.nonce, now=signed.now
        )
    assert caught.value.reason == "issuer"


def test_expired(signed: Signed) -> None:
    expires = datetime.fromtimestamp(signed.claims["exp"], UTC)
    verify(signed, now=expires + timedelta(seconds=oidc.LEEWAY))  # within the skew
    refused("expired", signed, now=expires + timedelta(seconds=oidc.LEEWAY + 1))


def test_issued_in_the_future(signed: Signed) -> None:
    refused("issued_in_future", signed, now=signed.now - timedelta(minutes=5))


def test_userinfo_of_another_subject_is_refused(signed: Signed) -> None:
    info = oidc.fetch_userinfo(signed.settings, signed.provider, signed.access_token, "petugas")
    assert info["email"] == "petugas.sso@bps.go.id"
    with pytest.raises(oidc_errors.SsoRejected):
        oidc.fetch_userinfo(signed.settings, signed.provider, signed.access_token, "admin")


def test_role_mapping() -> None:
    settings = oidc_settings.settings_from(
        {"OIDC_ROLE_MAP": oidckit.ROLE_MAP, "OIDC_ROLES_CLAIM": "groups", "OIDC_SCOPES": ["openid"]}
    )
    assert (
        oidc_identity.mapped_role(settings, {"groups": ["/pst-officer", "/pst-head"]}) == Role.HEAD
    )
    assert oidc_identity.mapped_role(settings, {"groups": "pst-desk"}) == Role.RECEPTIONIST
    assert oidc_identity.mapped_role(settings, {"groups": ["other"]}) is None
    assert oidc_identity.mapped_role(settings, {"realm_access": {"roles": ["pst-admin"]}}) is None


def test_role_map_naming_no_staff_role_stops_the_start() -> None:
    from app.settings import ConfigurationError

    with pytest.raises(ConfigurationError, match="PST_OIDC_ROLE_MAP"):
        oidc_settings.settings_from(
            {"OIDC_ROLE_MAP": {"everyone": "user"}, "OIDC_SCOPES": ["openid"]}
        )
    with pytest.raises(ConfigurationError, match="openid"):
        oidc_settings.settings_from({"OIDC_SCOPES": ["email"]})
    with pytest.raises(ConfigurationError, match="CLIENT_ID"):
        oidc_settings.settings_from({"OIDC_ISSUER": "https://sso.example.org/realms/bps"})
    with pytest.raises(ConfigurationError, match="no staff member"):
        oidc_settings.settings_from({"LOCAL_STAFF_PASSWORDS": False, "OIDC_SCOPES": ["openid"]})


_CLAIMS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@hypothesis_settings(deadline=None)  # a loaded CI machine: the property, not the timing
@given(st.one_of(_CLAIMS, st.lists(st.sampled_from([*oidckit.ROLE_MAP, "other", "/pst-head"]))))
def test_any_roles_claim_maps_or_not_without_error(value: Any) -> None:
    settings = oidc_settings.settings_from(
        {"OIDC_ROLE_MAP": oidckit.ROLE_MAP, "OIDC_SCOPES": ["openid"]}
    )
    role = oidc_identity.mapped_role(settings, {"realm_access": {"roles": value}})
    assert role is None or role in {Role(v) for v in oidckit.ROLE_MAP.values()}
