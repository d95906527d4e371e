"""A real OpenID provider for the tests: node-oidc-provider (``tests/oidc/provider.mjs``,
installed by ``npm ci`` in ``make test``) on 127.0.0.1 and a free port, started once
per pytest worker (the ``oidc_provider`` fixture of ``tests/conftest.py``).

Its people (:data:`ACCOUNTS`) carry Keycloak-shaped claims: realm roles under
``realm_access.roles``. :func:`sso_config` is the PST configuration that trusts it;
:func:`through_provider` drives its login page with an HTTP client, as a person would,
up to the redirect back to PST.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent / "oidc"
PASSWORD = "sandi-sso-rahasia"
CLIENT_ID = "pst"
CLIENT_SECRET = "pst-client-secret-for-tests"


def _person(email: str, name: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    claims = {
        "email": email,
        "email_verified": True,
        "name": name,
        "preferred_username": email.split("@")[0],
        "realm_access": {"roles": [*roles, "offline_access", "default-roles-bps"]},
        "groups": [f"/{role}" for role in roles],
    }
    claims.update(extra)
    return {"password": PASSWORD, "claims": claims}


ACCOUNTS: dict[str, dict[str, Any]] = {
    "kepala": _person("kepala@bps.go.id", "Kepala Seksi", ["pst-head"]),
    "admin": _person("admin.sso@bps.go.id", "Admin SSO", ["pst-admin", "pst-officer"]),
    "petugas": _person("petugas.sso@bps.go.id", "Petugas SSO", ["pst-officer"]),
    "tamu": _person("tamu.sso@bps.go.id", "Tamu SSO", []),
    "belum": _person("belum@bps.go.id", "Belum Verifikasi", ["pst-officer"], email_verified=False),
}
ACCOUNTS["mfa"] = {
    **_person("mfa@bps.go.id", "Petugas MFA", ["pst-officer"]),
    "amr": ["pwd", "otp"],
}

ROLE_MAP = {
    "pst-admin": "admin",
    "pst-head": "head",
    "pst-officer": "officer",
    "pst-desk": "receptionist",
}

CLIENTS = [
    {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [
            "http://localhost/login/sso/callback",
            "http://127.0.0.1/login/sso/callback",  # any port: a loopback address
        ],
        "post_logout_redirect_uris": ["http://localhost/", "http://127.0.0.1/"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
]


@dataclass
class OidcProvider:
    issuer: str
    kid: str
    process: subprocess.Popen[str]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_provider() -> OidcProvider:
    """Start the provider and wait for the line naming its issuer (a second or less)."""
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            "the test OpenID provider needs Node.js and `npm ci --prefix tests/oidc` "
            "(make test does both)"
        )
    env = {
        **os.environ,
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
        "OIDC_CLIENTS": json.dumps(CLIENTS),
    }
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs")],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        raise RuntimeError("the test OpenID provider did not start")
    started = json.loads(line)
    return OidcProvider(issuer=started["issuer"], kid=started["kid"], process=process)


def sso_config(provider: OidcProvider, **overrides: Any) -> dict[str, Any]:
    """PST's configuration trusting ``provider``."""
    return {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_SCOPES": ["openid", "email", "profile", "roles"],
        "OIDC_ROLES_CLAIM": "realm_access.roles",
        "OIDC_ROLE_MAP": ROLE_MAP,
        **overrides,
    }


def through_provider(
    authorize_url: str, username: str, *, password: str = PASSWORD, back_to: str
) -> str:
    """Sign in at the provider's page as ``username``; the address the provider sends
    the browser back to (starting with ``back_to``), not followed."""
    http = requests.Session()
    page = http.get(authorize_url, timeout=10)
    page.raise_for_status()
    assert "/interaction/" in page.url, page.text[:300]
    url = page.url.split("?")[0] + "/login"
    response = http.post(
        url, data={"username": username, "password": password}, allow_redirects=False, timeout=10
    )
    for _ in range(10):
        location = response.headers.get("Location")
        assert location, f"no redirect from the provider: {response.status_code}"
        location = urljoin(response.url, location)
        if location.startswith(back_to):
            return location
        response = http.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")
