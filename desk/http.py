"""The desk's request edge: its settings for the services, and the gate of the kiosk
pages (an enrolled device's cookie or an office network).

:func:`desk_settings` is what views and the API hand to services (which never read the
configuration themselves). :func:`kiosk_only` wraps a kiosk view. Anywhere else the view
answers 403 with a page in the reader's language saying the page works only on the
office's kiosk (and, to a signed-in receptionist, where to enrol this browser) — never a
500.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, after_this_request, current_app, g, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from app import clock
from app.accounts.models import Role
from app.extensions import db
from desk import kiosk_devices
from desk.models import KioskDevice
from desk.settings import Settings, settings_from

F = TypeVar("F", bound=Callable[..., Any])

COOKIE = "pst_kiosk"
#: Browsers keep a cookie at most 400 days; it is renewed whenever the kiosk is used.
COOKIE_MAX_AGE = 400 * 24 * 3600
RECEPTION = (Role.RECEPTIONIST, Role.OFFICER, Role.HEAD)


def desk_settings() -> Settings:
    """The desk's settings of this app, for the services a request calls."""
    return settings_from(current_app.config)


def _networks() -> list[kiosk_devices.Network]:
    raw = current_app.config.get("DESK_KIOSK_NETWORKS")
    cache = current_app.extensions.setdefault("desk.kiosk_networks", {})
    key = repr(raw)
    if key not in cache:
        cache.clear()
        cache[key] = kiosk_devices.parse_networks(raw)
    networks: list[kiosk_devices.Network] = cache[key]
    return networks


def current_device() -> KioskDevice | None:
    """The enrolled device this request comes from (checked once per request)."""
    if "kiosk_device" not in g:
        g.kiosk_device = kiosk_devices.device_for_cookie(
            db.session(), request.cookies.get(COOKIE), current_app.config["SECRET_KEY"]
        )
    device: KioskDevice | None = g.kiosk_device
    return device


def from_office_network() -> bool:
    return kiosk_devices.in_networks(request.remote_addr, _networks())


def is_kiosk() -> bool:
    """Whether this request comes from the office kiosk (enrolled or office network)."""
    return current_device() is not None or from_office_network()


def set_cookie(response: BaseResponse, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        samesite="Lax",
    )


def refused() -> tuple[str, int]:
    staff = current_user.is_authenticated and current_user.has_role(*RECEPTION)
    return render_template("desk/kiosk_only.html", staff=staff), 403


def kiosk_only(view: F) -> F:
    """Answer only the office kiosk; note when an enrolled device was last seen."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        device = current_device()
        if device is None and not from_office_network():
            return refused()
        if device is not None and kiosk_devices.touch(db.session(), device, clock.now()):
            value = request.cookies.get(COOKIE, "")

            @after_this_request
            def _renew(response: Response) -> Response:
                set_cookie(response, value)  # keeps a kiosk in use enrolled past 400 days
                return response

        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
