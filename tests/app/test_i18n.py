"""Times in WIB, whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from app.i18n import format_wib, to_wib


def test_utc_instant_is_shown_in_wib(app):
    moment = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    assert to_wib(moment).hour == 8
    with app.test_request_context():
        text = format_wib(moment)
    assert text.endswith("WIB")
    assert "08.30" in text or "08:30" in text


def test_timestamps_round_trip_as_aware_utc(session):
    from factories import user

    person = user(session)
    session.expire_all()
    assert person.created_at.tzinfo is not None
    assert person.created_at.utcoffset().total_seconds() == 0
