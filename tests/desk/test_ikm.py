"""IKM (PermenPANRB 14/2017) against a hand calculation on a fixed data set.

Five respondents score the nine elements:

    R1: 4 4 3 4 3 4 4 3 4        (officer A, November)
    R2: 3 3 3 4 3 3 4 3 3        (officer A, November)
    R3: 4 3 2 4 3 4 4 2 3        (officer B, November)
    R4: 2 3 3 4 3 3 3 3 2        (officer B, November)
    R5: 3 4 3 4 4 4 4 3 3        (officer B, December)

By hand: element sums 16 17 14 20 16 18 19 14 15 (total 149), so the NRR are
3.2 3.4 2.8 4.0 3.2 3.6 3.8 2.8 3.0; Σ NRR = 29.8; Σ NRR × 1/9 = 3.3111…; × 25 =
745/9 = 82.777… → 82.78, grade B. (With the rounded weight 0.111 it would wrongly
be 82.70.) Officer A: sums total 62 → 25 × 62 / 18 = 86.11 (B); officer B: 87 →
25 × 87 / 27 = 80.56 (B). November (R1–R4): 117 → 25 × 117 / 36 = 81.25 (B);
December (R5): 32 → 25 × 32 / 9 = 88.89 (A).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from app.i18n import WIB
from desk import ikm
from desk.errors import AlreadyRated, InvalidScores, NotRatable
from desk.models import Channel, Outcome, RecordChannel, ServiceRecord, ServiceType

DATA = [
    (4, 4, 3, 4, 3, 4, 4, 3, 4),
    (3, 3, 3, 4, 3, 3, 4, 3, 3),
    (4, 3, 2, 4, 3, 4, 4, 2, 3),
    (2, 3, 3, 4, 3, 3, 3, 3, 2),
    (3, 4, 3, 4, 4, 4, 4, 3, 3),
]
_tokens = itertools.count(1)


def make_record(session, *, officer_id=None, service=ServiceType.LIBRARY, day=date(2026, 11, 20)):
    start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=WIB)
    record = ServiceRecord(
        service=service, channel=RecordChannel.WALK_IN, officer_id=officer_id, service_day=day,
        started_at=start, ended_at=start + timedelta(minutes=10), outcome=Outcome.SERVED,
        products="", note="", rating_token=f"tok{next(_tokens)}",
    )  # fmt: skip
    session.add(record)
    session.commit()
    return record


def rate(session, record, scores, now=None):
    return ikm.submit_rating(
        session, record=record, scores=scores, comment="", channel=Channel.KIOSK,
        opened_at=None, now=now or datetime(2026, 12, 31, 12, tzinfo=WIB),
    )  # fmt: skip


@pytest.fixture
def dataset(session, officer, officer2):
    plan = [
        (officer.id, ServiceType.LIBRARY, date(2026, 11, 20)),
        (officer.id, ServiceType.SALES, date(2026, 11, 21)),
        (officer2.id, ServiceType.LIBRARY, date(2026, 11, 23)),
        (officer2.id, ServiceType.CONSULTATION, date(2026, 11, 24)),
        (officer2.id, ServiceType.LIBRARY, date(2026, 12, 1)),
    ]
    for scores, (officer_id, service, day) in zip(DATA, plan, strict=True):
        rate(session, make_record(session, officer_id=officer_id, service=service, day=day), scores)
    return officer, officer2


def test_pure_computation_matches_the_hand_calculation():
    result = ikm.compute(DATA)
    assert result.respondents == 5
    assert result.sums == (16, 17, 14, 20, 16, 18, 19, 14, 15)
    assert result.nrr == tuple(Fraction(s, 5) for s in (16, 17, 14, 20, 16, 18, 19, 14, 15))
    assert [str(v) for v in result.nrr_display] == [
        "3.20", "3.40", "2.80", "4.00", "3.20", "3.60", "3.80", "2.80", "3.00",
    ]  # fmt: skip
    assert result.unit == Fraction(149, 45)
    assert result.ikm == Fraction(745, 9)
    assert result.ikm_display == Decimal("82.78")
    assert result.grade == "B"
    # The rounded weight 0.111 would give another figure: the weight must be 1/9.
    assert Decimal("29.8") * Decimal("0.111") * 25 != result.ikm_display


def test_report_from_the_database_and_breakdowns(session, dataset):
    officer_a, officer_b = dataset
    overall = ikm.report(session)
    assert (overall.respondents, overall.ikm) == (5, Fraction(745, 9))
    rows = ikm.rated_rows(session)
    by_officer = dict(ikm.breakdown(rows, "officer"))
    assert by_officer[officer_a.id].respondents == 2
    assert by_officer[officer_a.id].ikm == Fraction(25 * 62, 18)
    assert str(by_officer[officer_a.id].ikm_display) == "86.11"
    assert by_officer[officer_b.id].respondents == 3
    assert str(by_officer[officer_b.id].ikm_display) == "80.56"
    by_month = dict(ikm.breakdown(rows, "month"))
    assert (by_month["2026-11"].respondents, str(by_month["2026-11"].ikm_display)) == (4, "81.25")
    assert (by_month["2026-12"].respondents, str(by_month["2026-12"].ikm_display)) == (1, "88.89")
    assert by_month["2026-12"].grade == "A"
    by_service = dict(ikm.breakdown(rows, "service"))
    assert by_service["library"].respondents == 3
    assert by_service["library"].sums == tuple(
        a + b + c for a, b, c in zip(DATA[0], DATA[2], DATA[4], strict=True)
    )
    # Filters: a period and a service.
    november = ikm.report(session, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
    assert november.respondents == 4
    sales = ikm.report(session, service=ServiceType.SALES)
    assert sales.respondents == 1 and sales.ikm == Fraction(25 * sum(DATA[1]), 9)


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100", "A"), ("88.31", "A"), ("88.305", "A"), ("88.304", "B"), ("88.30", "B"),
        ("76.61", "B"), ("76.6049", "C"), ("76.60", "C"), ("65.00", "C"), ("64.995", "C"),
        ("64.994", "D"), ("64.99", "D"), ("25", "D"),
    ],
)  # fmt: skip
def test_grade_bands(value, grade):
    assert ikm.grade(Fraction(value)) == grade


def test_all_fours_and_all_ones_are_the_ends_of_the_scale():
    assert ikm.compute([(4,) * 9]).ikm == 100
    assert ikm.compute([(1,) * 9]).ikm == 25
    assert ikm.compute([]).respondents == 0 and ikm.compute([]).grade is None


def test_one_rating_per_record(session):
    record = make_record(session)
    rate(session, record, DATA[0])
    with pytest.raises(AlreadyRated):
        rate(session, record, DATA[1])
    session.expire_all()
    assert record.rating.scores == DATA[0]


@pytest.mark.parametrize(
    "scores",
    [
        (4,) * 8,
        (4,) * 10,
        (0, 4, 4, 4, 4, 4, 4, 4, 4),
        (5, 4, 4, 4, 4, 4, 4, 4, 4),
        ("x",) * 9,
        (True,) * 9,
    ],
)
def test_invalid_scores_are_refused(session, scores):
    record = make_record(session)
    with pytest.raises(InvalidScores):
        rate(session, record, scores)


def test_scores_by_element_name(session):
    record = make_record(session)
    rating = rate(session, record, {f"u{i}": 5 - (i % 4 or 4) + 0 for i in range(1, 10)})
    assert len(rating.scores) == 9


def test_a_service_not_yet_ended_cannot_be_rated(session):
    record = make_record(session, day=date(2027, 1, 5))
    with pytest.raises(NotRatable):
        rate(session, record, DATA[0], now=datetime(2027, 1, 5, 9, 5, tzinfo=WIB))


def test_the_database_refuses_out_of_range_scores(session):
    from sqlalchemy.exc import IntegrityError

    from desk.models import Rating

    record = make_record(session)
    now = datetime(2026, 12, 1, tzinfo=WIB)
    session.add(
        Rating(
            record_id=record.id,
            channel=Channel.KIOSK,
            opened_at=now,
            submitted_at=now,
            comment="",
            **{f"u{i}": 4 for i in range(1, 9)},
            u9=7,
        )
    )
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
