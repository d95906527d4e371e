"""Times in WIB, whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from app.i18n import format_day, format_number, format_size, format_wib, to_wib


def test_utc_instant_is_shown_in_wib(app):
    moment = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    assert to_wib(moment).hour == 8
    with app.test_request_context():
        text = format_wib(moment)
    assert text.endswith("WIB")
    assert "08.30" in text or "08:30" in text
    with app.test_request_context(headers={"Cookie": "pst_lang=id"}):
        # Hours and minutes: a reopening time read "08.00.00 WIB".
        assert format_wib(moment) == "25 Nov 2026 08.30 WIB"


def test_timestamps_round_trip_as_aware_utc(session):
    from factories import user

    person = user(session)
    session.expire_all()
    assert person.created_at.tzinfo is not None
    assert person.created_at.utcoffset().total_seconds() == 0


def test_numbers_sizes_and_days_follow_the_readers_language(app):
    """Indonesian writes 81,48 and 1.234,5; English 81.48 and 1,234.5 (Babel)."""
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("id"):
            assert format_number(Decimal("81.48"), 2) == "81,48"
            assert format_number(1.8, 1) == "1,8" and format_number(1234.5, 1) == "1.234,5"
            assert format_size(21_000) == "0,02 MB"
            assert format_day("2027-02-01") == "1 Februari 2027"
        with force_locale("en"):
            assert format_number(1.8, 1) == "1.8" and format_size(21_000) == "0.02 MB"
            assert format_day("2027-02-01") == "February 1, 2027"
        assert format_number(None) == "–"
