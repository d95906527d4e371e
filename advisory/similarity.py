"""The duplicate-survey check of a recommendation request (SOP-1-04): planned or past
activities like the one asked about — other requests and the catalogue's publications —
scored on title, topic, region and period, so the officer can point the requester to
data that exists or an activity already planned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from advisory.models import Recommendation, RecommendationStatus
from advisory.text import overlap, words
from app.urls import external_url


@dataclass
class Similar:
    kind: str  # recommendation | publication
    ref: str
    title: str
    score: float
    url: str
    reasons: dict[str, float] = field(default_factory=dict)
    common: list[str] = field(default_factory=list)
    status: str = ""
    period: str = ""
    # A recommendation's period as dates, for pages to write out in the reader's language.
    starts: date | None = None
    ends: date | None = None


#: An activity as compared: (title, topic, region, (first day, last day)).
Activity = tuple[str, str, str, tuple[date | None, date | None]]

WEIGHTS = {"title": 0.5, "topic": 0.2, "region": 0.15, "period": 0.15}


def _period_score(a: tuple[date | None, date | None], b: tuple[date | None, date | None]) -> float:
    """1 when two schedules overlap, 0.5 when they are less than a year apart, else 0."""
    a0, a1 = a[0] or a[1], a[1] or a[0]
    b0, b1 = b[0] or b[1], b[1] or b[0]
    if not (a0 and a1 and b0 and b1):
        return 0.0
    if a0 <= b1 and b0 <= a1:
        return 1.0
    gap = (b0 - a1).days if b0 > a1 else (a0 - b1).days
    return 0.5 if gap <= 365 else 0.0


def similarity(
    a_title: str,
    a_topic: str,
    a_region: str,
    a_period: tuple[date | None, date | None],
    b_title: str,
    b_topic: str,
    b_region: str,
    b_period: tuple[date | None, date | None],
) -> tuple[float, dict[str, float], list[str]]:
    """Score in [0, 1] of two activities being the same survey, with the parts.

    Each part is the overlap coefficient of content words (:mod:`advisory.text`):
    shared words over the words of the shorter text, so "Survei Kepuasan Pasien RSUD"
    and "Survei Kepuasan Pasien RSUD M. Yunus 2026" score 1. Title weighs 0.5, topic
    0.2 (the topic, else the title's words), region 0.15, period 0.15 (schedules that
    overlap: 1; less than a year apart: 0.5). A survey run every year by another
    office scores high on title and region even in another year, as it should.
    """
    ta, tb = words(a_title), words(b_title)
    topic_a, topic_b = words(a_topic) or ta, words(b_topic) or tb
    parts = {
        "title": overlap(ta, tb),
        "topic": overlap(topic_a, topic_b),
        "region": overlap(words(a_region), words(b_region)),
        "period": _period_score(a_period, b_period),
    }
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    return round(score, 3), parts, sorted(ta & tb)


def similar_activities(
    session: Session, r: Recommendation, *, threshold: float, limit: int = 10
) -> list[Similar]:
    """Submitted, passed or approved requests and catalogue publications that may be the
    same activity as ``r``, best first (score at least ``threshold``:
    ``ADVISORY_DUPLICATE_THRESHOLD``)."""
    mine: Activity = (r.title, r.topic, r.region, (r.period_start, r.period_end))
    title_words = sorted(words(r.title), key=len, reverse=True)[:6]
    if not title_words:
        return []
    found: list[Similar] = []
    likes = [Recommendation.title.ilike(f"%{w}%") for w in title_words]
    candidates = session.scalars(
        select(Recommendation)
        .where(
            Recommendation.id != r.id,
            Recommendation.status.in_(
                (
                    RecommendationStatus.SUBMITTED,
                    RecommendationStatus.PASSED,
                    RecommendationStatus.APPROVED,
                )
            ),
            or_(*likes),
        )
        .options(joinedload(Recommendation.letters))
        .limit(300)
    ).unique()
    for other in candidates:
        score, parts, common = similarity(
            *mine, other.title, other.topic, other.region, (other.period_start, other.period_end)
        )
        if score >= threshold:
            period = f"{other.period_start or ''} – {other.period_end or ''}"
            found.append(
                Similar(
                    "recommendation",
                    other.letter.number if other.letter else other.reference,
                    other.title,
                    score,
                    external_url("advisory.staff_recommendation", rec_id=other.id),
                    parts,
                    common,
                    other.organiser,
                    period,
                    other.period_start,
                    other.period_end,
                )
            )
    found += _similar_publications(session, mine, title_words, threshold)
    found.sort(key=lambda s: -s.score)
    return found[:limit]


def _similar_publications(
    session: Session, mine: Activity, title_words: list[str], threshold: float
) -> list[Similar]:
    from app.clock import now
    from catalog.models import Publication
    from catalog.visibility import public_clause

    likes = [Publication.title.ilike(f"%{w}%") for w in title_words]
    found = []
    for pub in session.scalars(
        select(Publication).where(public_clause(now()), or_(*likes)).limit(300)
    ):
        year = pub.year
        span = (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)
        topic = " ".join(s.name for s in pub.subjects)
        score, parts, common = similarity(*mine, pub.title, topic, pub.region_name, span)
        if score >= threshold:
            found.append(
                Similar(
                    "publication",
                    pub.kat_no or f"#{pub.id}",
                    pub.title,
                    score,
                    external_url("catalog.publication", pub_id=pub.id),
                    parts,
                    common,
                    "",
                    str(year or ""),
                )
            )
    return found
