"""Which browsers may act as the office kiosk: enrolled devices and office networks.

The kiosk pages (guest book, rating by code) need no sign-in, so they must not answer
the whole internet. A receptionist enrols the browser of the office tablet: a row in
``kiosk_devices`` and a cookie holding the signed device id and a random secret (only
its SHA-256 is stored, so a database reader cannot forge the cookie). Revoking the row
shuts that browser out at once. Requests from a configured office network
(``DESK_KIOSK_NETWORKS``, CIDRs, checked against the address after ProxyFix) are let in
without a cookie. Enrolment and revocation are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.uow import transactional
from desk.errors import KioskDeviceNotFound
from desk.models import KioskDevice

#: ``last_seen`` is written at most this often (a kiosk page view is not a write).
TOUCH_INTERVAL = timedelta(minutes=5)
_SALT = "desk.kiosk-device"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transactional
def enrol(
    session: Session, *, name: str, actor_id: int, now: datetime, secret_key: str
) -> tuple[KioskDevice, str]:
    """Enrol a device; commit. Returns it and the cookie value for its browser."""
    secret = secrets.token_urlsafe(32)
    device = KioskDevice(
        name=name.strip()[:80] or "Kiosk",
        secret_hash=_digest(secret),
        enrolled_by_id=actor_id,
        enrolled_at=now,
        last_seen=now,
    )
    session.add(device)
    session.flush()
    audit.record(
        session,
        "desk.kiosk_enrolled",
        actor_id=actor_id,
        subject_type="kiosk_device",
        subject_id=device.id,
        detail={"name": device.name},
        at=now,
    )
    return device, cookie_value(device, secret, secret_key)


def cookie_value(device: KioskDevice, secret: str, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"d": device.id, "s": secret})


@transactional
def revoke(session: Session, device_id: int, *, actor_id: int, now: datetime) -> KioskDevice:
    """Shut a device out of the kiosk pages; commit. Revoking twice changes nothing."""
    device = session.get(KioskDevice, device_id)
    if device is None:
        raise KioskDeviceNotFound()
    if device.revoked_at is None:
        device.revoked_at = now
        device.revoked_by_id = actor_id
        audit.record(
            session,
            "desk.kiosk_revoked",
            actor_id=actor_id,
            subject_type="kiosk_device",
            subject_id=device.id,
            detail={"name": device.name},
            at=now,
        )
    return device


def devices(session: Session) -> list[KioskDevice]:
    """Every enrolled device, active ones first, newest first."""
    return list(
        session.scalars(
            select(KioskDevice).order_by(
                KioskDevice.revoked_at.is_not(None), KioskDevice.enrolled_at.desc()
            )
        )
    )


def device_for_cookie(session: Session, value: str | None, secret_key: str) -> KioskDevice | None:
    """The active device this cookie belongs to, or None (forged, revoked, unknown)."""
    if not value or len(value) > 500:
        return None
    try:
        data: Any = _serializer(secret_key).loads(value)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    device_id, secret = data.get("d"), data.get("s")
    if not isinstance(device_id, int) or not isinstance(secret, str):
        return None
    device = session.get(KioskDevice, device_id)
    if device is None or device.revoked_at is not None:
        return None
    if not hmac.compare_digest(device.secret_hash, _digest(secret)):
        return None
    return device


@transactional
def touch(session: Session, device: KioskDevice, now: datetime) -> bool:
    """Note that the device was used (at most every :data:`TOUCH_INTERVAL`); commit.
    True when written (the view then renews the cookie)."""
    if device.last_seen is not None and now - device.last_seen < TOUCH_INTERVAL:
        return False
    device.last_seen = now
    return True


def parse_networks(raw: str | Iterable[str] | None) -> list[Network]:
    """``DESK_KIOSK_NETWORKS`` as networks: a list of CIDRs (or one comma-separated
    string). A malformed entry raises ValueError, so a typo fails at start-up instead
    of silently shutting the kiosk (or opening it)."""
    if not raw:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [ipaddress.ip_network(str(item).strip(), strict=False) for item in items if item]


def in_networks(address: str | None, networks: Sequence[Network]) -> bool:
    if not address or not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)
