"""IKM ratings (Indeks Kepuasan Masyarakat, PermenPANRB No. 14 Tahun 2017).

A respondent scores nine elements from 1 to 4. For a set of respondents:

* per element, NRR = sum of scores / respondents;
* IKM (unit value) = Σ NRR × 1/9 — the weight is exactly 1/9, not the rounded 0.111;
* IKM = unit value × 25, between 25 and 100.

All arithmetic is exact (:class:`fractions.Fraction`); only display rounds, to two
decimals, half up. The grade is read from the value rounded to two decimals, which is
how the regulation's bands (A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99)
cover every value without gaps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.uow import transactional
from desk.errors import AlreadyRated, CancelledService, InvalidScores, NotRatable
from desk.models import ELEMENTS, Channel, Rating, ServiceRecord, ServiceType

WEIGHT = Fraction(1, 9)
SCALE = 25

ELEMENT_LABELS = {
    "u1": _l("Requirements"),
    "u2": _l("Systems, mechanisms and procedures"),
    "u3": _l("Completion time"),
    "u4": _l("Cost or tariff"),
    "u5": _l("Product specification"),
    "u6": _l("Staff competence"),
    "u7": _l("Staff behaviour"),
    "u8": _l("Handling of complaints, suggestions and input"),
    "u9": _l("Facilities"),
}
#: The four answers of each element (1 = worst, 4 = best), as PermenPANRB 14/2017 words
#: them: tidak baik, kurang baik, baik, sangat baik.
SCORE_LABELS = {
    1: _l("Not good"),
    2: _l("Poor"),
    3: _l("Good"),
    4: _l("Very good"),
}
GRADE_LABELS = {
    "A": _l("Very good"),
    "B": _l("Good"),
    "C": _l("Poor"),
    "D": _l("Not good"),
}
#: Lower bounds of the grades, on the value rounded to two decimals.
GRADE_BANDS = (("A", Decimal("88.31")), ("B", Decimal("76.61")), ("C", Decimal("65.00")))


def display(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (for display only)."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def grade(ikm: Fraction) -> str:
    shown = display(ikm)
    for letter, bound in GRADE_BANDS:
        if shown >= bound:
            return letter
    return "D"


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    sums: tuple[int, ...]  # per element
    nrr: tuple[Fraction, ...]  # per element: sum / respondents
    unit: Fraction  # Σ NRR × 1/9 (1–4)
    ikm: Fraction  # unit × 25 (25–100)

    @property
    def grade(self) -> str | None:
        return grade(self.ikm) if self.respondents else None

    @property
    def ikm_display(self) -> Decimal | None:
        return display(self.ikm) if self.respondents else None

    @property
    def nrr_display(self) -> list[Decimal]:
        return [display(v) for v in self.nrr]

    @property
    def weighted(self) -> tuple[Fraction, ...]:
        return tuple(v * WEIGHT for v in self.nrr)


EMPTY = IkmResult(0, (0,) * 9, (Fraction(0),) * 9, Fraction(0), Fraction(0))


def compute(scores: Iterable[Sequence[int]]) -> IkmResult:
    """The IKM of respondents' nine scores each."""
    n = 0
    sums = [0] * 9
    for row in scores:
        if len(row) != 9:
            raise ValueError("a questionnaire has nine scores")
        n += 1
        for i, score in enumerate(row):
            sums[i] += int(score)
    return from_sums(n, sums)


def from_sums(respondents: int, sums: Sequence[int]) -> IkmResult:
    if respondents == 0:
        return EMPTY
    nrr = tuple(Fraction(s, respondents) for s in sums)
    unit = sum((v * WEIGHT for v in nrr), Fraction(0))
    return IkmResult(respondents, tuple(sums), nrr, unit, unit * SCALE)


# --- ratings ---------------------------------------------------------------------------


def validate_scores(scores: Mapping[str, object] | Sequence[object]) -> list[int]:
    values = [scores.get(e) for e in ELEMENTS] if isinstance(scores, Mapping) else list(scores)
    if len(values) != 9:
        raise InvalidScores()
    result = []
    for value in values:
        if isinstance(value, bool):
            raise InvalidScores()
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            raise InvalidScores() from None
        if not 1 <= number <= 4:
            raise InvalidScores()
        result.append(number)
    return result


@transactional
def submit_rating(
    session: Session,
    *,
    record: ServiceRecord,
    scores: Mapping[str, object] | Sequence[object],
    comment: str,
    channel: Channel,
    opened_at: datetime | None,
    now: datetime,
) -> Rating:
    """Rate one service record (once); commit."""
    values = validate_scores(scores)
    if record.rating is not None:
        raise AlreadyRated()
    if not record.ratable:
        raise CancelledService()
    if record.ended_at > now:
        raise NotRatable()
    opened = opened_at if opened_at is not None and opened_at <= now else now
    rating = Rating(
        record_id=record.id,
        comment=(comment or "").strip()[:2000],
        channel=channel,
        opened_at=opened,
        submitted_at=now,
        **dict(zip(ELEMENTS, values, strict=True)),
    )
    session.add(rating)
    try:
        session.flush()
    except IntegrityError:
        # Two submissions racing for one record: the unique index decides.
        raise AlreadyRated() from None
    return rating


# --- reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RatedRow:
    service: ServiceType
    officer_id: int | None
    service_day: date
    scores: tuple[int, ...]


def rated_rows(
    session: Session,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    service: ServiceType | None = None,
    officer_id: int | None = None,
) -> list[RatedRow]:
    """Ratings with their record's service, officer and WIB service day (the period a
    rating belongs to is that of the service it rates)."""
    query = select(
        ServiceRecord.service,
        ServiceRecord.officer_id,
        ServiceRecord.service_day,
        *(getattr(Rating, e) for e in ELEMENTS),
    ).join(Rating, Rating.record_id == ServiceRecord.id)
    if date_from is not None:
        query = query.where(ServiceRecord.service_day >= date_from)
    if date_to is not None:
        query = query.where(ServiceRecord.service_day <= date_to)
    if service is not None:
        query = query.where(ServiceRecord.service == service)
    if officer_id is not None:
        query = query.where(ServiceRecord.officer_id == officer_id)
    return [RatedRow(r[0], r[1], r[2], tuple(r[3:])) for r in session.execute(query)]


def report(session: Session, **filters: object) -> IkmResult:
    """The IKM of all ratings matching ``filters`` (see :func:`rated_rows`)."""
    return compute(row.scores for row in rated_rows(session, **filters))  # type: ignore[arg-type]


GROUPS: dict[str, Callable[[RatedRow], Hashable]] = {
    "service": lambda row: row.service.value,
    "officer": lambda row: row.officer_id,
    "month": lambda row: f"{row.service_day:%Y-%m}",
    "year": lambda row: f"{row.service_day:%Y}",
}


def breakdown(rows: Iterable[RatedRow], by: str) -> list[tuple[Hashable, IkmResult]]:
    """The IKM per service, officer, month or year, sorted by key."""
    key = GROUPS[by]
    grouped: dict[Hashable, list[tuple[int, ...]]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row.scores)
    return sorted(
        ((k, compute(v)) for k, v in grouped.items()),
        key=lambda item: (item[0] is None, str(item[0])),
    )
