"""``plan_demo``: which demo publications exist, their metadata and page plans."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo.publications import content as dc
from demo.publications.facts import _area, _facts
from demo.publications.fmt import _issn, _rng, _roman, _working_day
from demo.publications.style import EDITION_YEAR


@dataclass(frozen=True)
class DemoPublication:
    """One generated PDF and the catalogue metadata that describes it."""

    path: Path
    meta: dict[str, Any] = field(hash=False)


# --- the plan ---------------------------------------------------------------------------


def _editions() -> list[tuple[dict[str, Any], int]]:
    """Every series once, interleaved so any prefix mixes books, thematic titles and BRS."""
    big: list[tuple[dict[str, Any], int]] = []
    thematic: list[tuple[dict[str, Any], int]] = []
    brs: list[tuple[dict[str, Any], int]] = []
    for series in dc.SERIES:
        target = (
            big if series["book"] == "dalam_angka" else brs if series["kind"] == "brs" else thematic
        )
        target.append((series, 0))
    inflation = [(dc.INFLATION_SERIES, m) for m in dc.INFLATION_MONTHS]
    brs = [inflation[0], *brs[:1], *inflation[1:3], *brs[1:], *inflation[3:]]
    # The English edition early, so small demos show both languages.
    english = next(e for e in big if e[0].get("language") == "en")
    big.remove(english)
    big.insert(2, english)
    order: list[tuple[dict[str, Any], int]] = []
    pattern = ("big", "thematic", "brs", "thematic", "big", "brs", "thematic")
    queues = {"big": big, "thematic": thematic, "brs": brs}
    while any(queues.values()):
        for name in pattern:
            if queues[name]:
                order.append(queues[name].pop(0))
    return order


def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def _plan_one(
    index: int, series: dict[str, Any], month: int, year: int, seed: int
) -> dict[str, Any]:
    lang = str(series.get("language", "id"))
    area = _area(series["area"], seed)
    facts = _facts(seed, area, year, month, lang)
    p = year - 1
    fill = {
        "y": year,
        "p": p,
        "p4": p - 4,
        "month": dc.MONTHS[month - 1] if month else "",
        "month_en": dc.MONTHS_EN[month - 1] if month else "",
    }
    title = series["title"].format(**fill)
    title_en = series["title_en"].format(**fill)
    if series["key"] == "brs-inflasi":
        release = _working_day(dt.date(year + (month == 12), month % 12 + 1, 1))
        period = str(year)
    else:
        mm, dd = (int(x) for x in series["rl"].split("-"))
        release_year = year + int(series.get("shift", 0))
        release = dt.date(release_year, mm, dd)
        if series["kind"] == "brs" and series["key"] != "brs-pertumbuhan":
            period = str(year)
        else:
            period = str(p)
    area_code = "1700" if series["area"] is None else str(series["area"])
    seq = 1 + index % 40
    pub_no = f"{area_code}0.{year % 100:02d}{seq:02d}"
    abstract = series["abstract"].format(**{**facts, **fill})
    kat_no = series["kat_no"] or ""
    if series["kind"] == "brs":
        brs_no = f"{index % 60 + 1:02d}/{release.month:02d}/17/Th. {_roman(release.year - 1997)}"
    else:
        brs_no = ""
    meta = {
        "title": title,
        "title_en": title_en,
        "subtitle": series["subtitle"].format(**fill),
        "kat_no": kat_no if kat_no else "",
        "pub_no": pub_no,
        "issn": _issn(series["key"]) if series["issn"] else "",
        "isbn": "",
        "rl_date": release.isoformat(),
        "period": period,
        "subjects": list(series["subjects"]),
        "abstract": abstract,
        "language": lang,
        "access": series["access"],
        "printed": bool(series["printed"]),
        "kind": series["kind"],
    }
    if meta["kind"] == "brs" and not meta["kat_no"]:
        # BRS carry no catalogue number of their own; the catalogue wants one.
        meta["kat_no"] = "7101001.17" if series["key"] == "brs-inflasi" else "1199001.17"
    rng = _rng(seed, "plan", series["key"], year, month)
    low, high = series["pages"]
    target = rng.randint(low, high)
    pages = _page_plan(series, target, rng, lang)
    return {
        "index": index,
        "key": f"{series['key']}-{year}" + (f"-{month:02d}" if month else ""),
        "filename": f"{_slug(title)[:90]}.pdf",
        "series": series["key"],
        "book": series["book"],
        "area": series["area"],
        "year": year,
        "month": month,
        "brs_no": brs_no,
        "seed": seed,
        "meta": meta,
        "page_count": len(pages),
        "pages": pages,
    }


def _page_plan(
    series: dict[str, Any], target: int, rng: random.Random, lang: str
) -> list[dict[str, Any]]:
    """One dict per physical page; chapters get an opener, text, tables and charts."""
    book = series["book"]
    chapters = list(series["chapters"])
    if book == "brs":
        front: list[dict[str, Any]] = [{"type": "brs_front"}]
        back: list[dict[str, Any]] = [{"type": "brs_back"}]
    else:
        front = [{"type": "cover"}, {"type": "colophon"}, {"type": "foreword"}, {"type": "toc"}]
        back = [{"type": "notes"}, {"type": "back_cover"}]
    body_pages = max(target - len(front) - len(back), len(chapters))
    per_chapter_min = 1 if book == "brs" else 2
    while len(chapters) > 1 and body_pages < per_chapter_min * len(chapters):
        chapters.pop()
    share = [body_pages // len(chapters)] * len(chapters)
    for i in range(body_pages - sum(share)):
        share[i % len(chapters)] += 1
    body: list[dict[str, Any]] = []
    for number, (topic_key, count) in enumerate(zip(chapters, share, strict=True), start=1):
        topic = dc.TOPICS[topic_key]
        titles = topic.get("title_en") if lang == "en" else None
        title = str(titles or topic["title"])
        sections = topic.get("sections_en") if lang == "en" else None
        sections = list(sections or topic["sections"])
        tables = list(topic["tables"])
        charts = list(topic["charts"]) or []
        pattern: tuple[str, ...]
        if book == "dalam_angka":
            pattern = ("text", "table", "chart", "table", "table", "text", "chart", "table")
        elif book == "brs":
            pattern = ("text", "table", "chart", "table", "text", "chart")
        else:
            pattern = ("text", "table", "chart", "text", "table", "table", "chart")
        pages: list[dict[str, Any]] = []
        if book != "brs":
            pages.append({"type": "chapter", "chapter": number, "topic": topic_key, "title": title})
        counts = {"table": 0, "chart": 0}
        n_section = 0
        step = 0
        while len(pages) < count:
            kind = pattern[step % len(pattern)]
            step += 1
            if kind == "chart" and not charts:
                kind = "table"
            if kind == "text":
                section = sections[n_section % len(sections)]
                n_section += 1
                pages.append(
                    {
                        "type": "text",
                        "chapter": number,
                        "topic": topic_key,
                        "section": f"{number}.{n_section} {section}" if book != "brs" else section,
                        "paragraphs": rng.randint(4, 6),
                    }
                )
            else:
                counts[kind] += 1
                names = tables if kind == "table" else charts
                n = counts[kind]
                pages.append(
                    {
                        "type": kind,
                        "chapter": number,
                        "topic": topic_key,
                        kind: names[(n - 1) % len(names)],
                        "variant": (n - 1) // len(names),
                        "number": f"{number}.{n}",
                    }
                )
        body.extend(pages)
    plan = front + body + back
    for number, page in enumerate(plan, start=1):
        page["page"] = number
    return plan


def plan_demo(count: int = 32, seed: int = 1700) -> list[dict[str, Any]]:
    """Metadata and page plan of ``count`` demo publications; fast, renders nothing.

    Each entry holds ``meta`` (the catalogue metadata), ``filename``, ``page_count`` and
    ``pages`` (one dict per physical page). Past the end of the list of series, earlier
    editions (one year back per round) follow, so titles stay distinct.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    editions = _editions()
    plans = []
    for index in range(count):
        series, month = editions[index % len(editions)]
        year = EDITION_YEAR - index // len(editions)
        plans.append(_plan_one(index, series, month, year, seed))
    return plans
