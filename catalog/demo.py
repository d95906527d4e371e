"""Demo publications: realistic BPS Provinsi Bengkulu PDFs for a fresh catalogue.

``plan_demo`` decides, without rendering anything, which publications exist, their
metadata and what goes on every page; ``generate_demo`` renders the plan with reportlab
into A4 PDFs that look like the real thing — a cover, colophon, foreword, table of
contents, chapters of Indonesian text about their topic, tables per kabupaten/kota and
charts, technical notes and a back cover (BRS are short press releases instead). Every
page of the plan becomes exactly one PDF page, chapters carry PDF bookmarks and only the
built-in Helvetica is used, so text extraction works. Both are deterministic in ``seed``.

Only the standard library and reportlab are used: the demo can run before anything
else of the project is set up (``python -m catalog.demo OUT_DIR``).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from catalog import demo_content as dc

__all__ = ["DemoPublication", "generate_demo", "plan_demo"]

EDITION_YEAR = 2025
ACCESS_VALUES = ("open", "read_only", "sale")
PAGE_W, PAGE_H = A4
MARGIN_X = 2.0 * cm
MARGIN_TOP = 2.2 * cm
MARGIN_BOTTOM = 2.0 * cm
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
BRS_BAND = 4.2 * cm

BPS_BLUE = colors.HexColor("#0B4F8C")
BPS_ORANGE = colors.HexColor("#F39200")
BPS_GREEN = colors.HexColor("#7AB929")
LIGHT = colors.HexColor("#EAF2FA")
GREY = colors.HexColor("#555555")
# Cover colours: one per series, picked by a hash of the series key.
PALETTE = (
    ("#0B4F8C", "#F39200"),
    ("#00695C", "#F9A825"),
    ("#1A237E", "#29B6F6"),
    ("#6A1B9A", "#FFB300"),
    ("#B23A48", "#F6C453"),
    ("#2E7D32", "#FFCA28"),
    ("#004D73", "#8BC34A"),
    ("#37474F", "#FF7043"),
)


@dataclass(frozen=True)
class DemoPublication:
    """One generated PDF and the catalogue metadata that describes it."""

    path: Path
    meta: dict[str, Any] = field(hash=False)


# --- numbers ----------------------------------------------------------------------------


def _rng(*parts: object) -> random.Random:
    """A generator seeded from ``parts`` — stable across runs and Python versions."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - demo data


def _fmt(value: float | None, decimals: int = 0, lang: str = "id") -> str:
    """Format a number BPS-style: ``1.234,5`` in Indonesian, ``1,234.5`` in English."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _big(value: float, lang: str = "id") -> str:
    """``2,09 juta`` / ``292,1 ribu`` (or ``2.09 million``) for a count of people or tons."""
    if value >= 1e12:
        word, scaled, dec = ("triliun", "trillion"), value / 1e12, 2
    elif value >= 1e9:
        word, scaled, dec = ("miliar", "billion"), value / 1e9, 2
    elif value >= 1e6:
        word, scaled, dec = ("juta", "million"), value / 1e6, 2
    elif value >= 1e3:
        word, scaled, dec = ("ribu", "thousand"), value / 1e3, 2
    else:
        return _fmt(value, 0, lang)
    return f"{_fmt(scaled, dec, lang)} {word[0] if lang == 'id' else word[1]}"


def _rupiah(value: float, lang: str = "id") -> str:
    if value >= 1e6:
        return f"Rp{_big(value, lang)}"
    return f"Rp{_fmt(value, 0, lang)}"


def _roman(number: int) -> str:
    table = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in table:
        while number >= value:
            out += letters
            number -= value
    return out


def _issn(key: str) -> str:
    """A syntactically valid ISSN (check digit included) derived from ``key``."""
    crc = zlib.crc32(key.encode())
    prefix = ("2088", "2302", "2527", "0215", "2086", "2614")[crc % 6]
    digits = prefix + f"{(crc >> 4) % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@dataclass
class _Area:
    """The area a publication covers and the units its tables list."""

    name: str  # "Provinsi Bengkulu" / "Kabupaten Kaur"
    code: str  # "17" or "1704"
    unit_label: str  # "Kabupaten/Kota" or "Kecamatan"
    unit_plural: str
    units: list[str]
    pops: list[float]  # persons
    areas: list[float]  # km²
    villages: list[int]
    traits: list[dict[str, float]]  # per unit, for per-unit rates


def _area(code: str | None, seed: int) -> _Area:
    rng = _rng(seed, "area", code)
    if code is None:
        regions = dc.REGIONS
        return _Area(
            name=dc.PROVINCE,
            code="17",
            unit_label="Kabupaten/Kota",
            unit_plural="kabupaten/kota",
            units=[str(r["name"]) for r in regions],
            pops=[float(r["pop"]) * 1000 * rng.uniform(0.995, 1.005) for r in regions],
            areas=[float(r["area"]) for r in regions],
            villages=[int(len(r["districts"]) * rng.uniform(8.5, 13.5)) for r in regions],
            traits=[dc.REGION_TRAITS[str(r["code"])] for r in regions],
        )
    region = next(r for r in dc.REGIONS if r["code"] == code)
    districts = [str(d) for d in region["districts"]]
    weights = [rng.uniform(0.5, 1.8) for _ in districts]
    area_w = [rng.uniform(0.4, 2.0) for _ in districts]
    base = dc.REGION_TRAITS[code]
    return _Area(
        name=dc.region_label(region),
        code=code,
        unit_label="Kecamatan",
        unit_plural="kecamatan",
        units=districts,
        pops=[float(region["pop"]) * 1000 * w / sum(weights) for w in weights],
        areas=[float(region["area"]) * w / sum(area_w) for w in area_w],
        villages=[rng.randint(6, 22) for _ in districts],
        traits=[{k: v * rng.uniform(0.75, 1.25) for k, v in base.items()} for _ in districts],
    )


def _facts(seed: int, area: _Area, year: int, month: int, lang: str) -> dict[str, Any]:
    """Headline figures of an area, formatted for sentences (``{tpt}``, ``{pop}`` ...)."""
    rng = _rng(seed, "facts", area.code)
    p = year - 1
    pop = sum(area.pops)
    province = area.code == "17"
    base = dc.REGION_TRAITS.get(area.code, {"tpt": 3.4, "miskin": 13.9, "ipm": 73.6})
    tpak = rng.uniform(69.0, 72.5)
    tpt = base["tpt"] * rng.uniform(0.92, 1.08)
    ak = pop * 0.735 * tpak / 100
    miskin = base["miskin"] * rng.uniform(0.96, 1.02)
    area_km2 = sum(area.areas)
    padi_share = 1.0 if province else dc.REGION_TRAITS[area.code]["padi"]
    padi_luas = rng.uniform(58000, 66000) * padi_share
    padi_yield = rng.uniform(44.0, 47.5)
    padi_prod = padi_luas * padi_yield / 10
    sawit_share = 1.0 if province else max(dc.REGION_TRAITS[area.code]["sawit"], 0.005)
    pdrb = rng.uniform(88e12, 94e12) * (pop / 2.1e6 if not province else 1.0)
    infl = _inflation(seed, year)
    month_idx = max(month, 1) - 1
    ipm = base["ipm"] * rng.uniform(0.998, 1.004)
    months = dc.MONTHS if lang == "id" else dc.MONTHS_EN
    rain = [r * rng.uniform(0.8, 1.2) for r in dc.RAINFALL]
    wettest = max(range(12), key=lambda i: rain[i])
    order = sorted(range(len(area.units)), key=lambda i: area.pops[i])
    by_area = sorted(range(len(area.units)), key=lambda i: area.areas[i])
    padi_units = sorted(
        range(len(area.units)), key=lambda i: area.traits[i]["padi"] * area.pops[i] ** 0.2
    )
    unit_prefix = "Kecamatan " if not province else ""
    dependency = rng.uniform(46.0, 50.0)
    sex_ratio = rng.uniform(102.0, 104.5)
    ntp = rng.uniform(138, 158)

    def f(value: float, dec: int = 2) -> str:
        return _fmt(value, dec, lang)

    return {
        "area": area.name if lang == "id" else dc.PROVINCE_EN if province else area.name,
        "y": year,
        "p": p,
        "p4": p - 4,
        "month": dc.MONTHS[month_idx],
        "month_en": dc.MONTHS_EN[month_idx],
        "n_units": len(area.units),
        "unit_plural": area.unit_plural,
        "pop": f(pop, 0),
        "pop_raw": pop,
        "pop_growth": f(rng.uniform(1.2, 1.7)),
        "sex_ratio": f(sex_ratio, 1),
        "sex_ratio_round": round(sex_ratio),
        "density": f(pop / area_km2, 0),
        "dependency": f(dependency, 1),
        "dependency_round": round(dependency),
        "largest_pop_unit": unit_prefix + area.units[order[-1]],
        "largest_area": unit_prefix + area.units[by_area[-1]],
        "smallest_area": unit_prefix + area.units[by_area[0]],
        "area_km2": f(area_km2, 2),
        "wettest_month": dc.MONTHS[wettest],
        "wettest_month_en": dc.MONTHS_EN[wettest],
        "max_rain": f(rain[wettest], 1),
        "n_villages": f(sum(area.villages), 0),
        "tpak": f(tpak),
        "tpt": f(tpt),
        "tpt_raw": tpt,
        "angkatan_kerja": f(ak, 0),
        "penganggur": f(ak * tpt / 100, 0),
        "miskin_pct": f(miskin),
        "miskin_raw": miskin,
        "miskin_jml": f(pop * miskin / 100, 0),
        "gk": _rupiah(rng.uniform(690000, 745000), lang),
        "inflasi_yoy": f(infl["yoy"][month_idx]),
        "inflasi_mtm": f(infl["mtm"][month_idx]),
        "inflasi_ytd": f(infl["ytd"][month_idx]),
        "ihk": f(infl["ihk"][month_idx]),
        "pdrb_growth": f(rng.uniform(4.0, 4.6)),
        "pdrb_adhb": _rupiah(pdrb, lang),
        "pdrb_kap": _rupiah(pdrb / pop, lang),
        "padi_luas": f(padi_luas, 0),
        "padi_prod": (f"{_big(padi_prod, lang)} ton"),
        "beras_prod": (f"{_big(padi_prod * 0.5748, lang)} ton"),
        "padi_yield": f(padi_yield),
        "top_padi": unit_prefix + area.units[padi_units[-1]]
        if province or len(area.units) > 1
        else area.name,
        "sawit_prod": _big(rng.uniform(1.05e6, 1.2e6) * sawit_share, lang),
        "rls": f(rng.uniform(8.9, 9.3) * (1.15 if area.code == "1771" else 1.0)),
        "hls": f(rng.uniform(13.3, 13.9)),
        "uhh": f(rng.uniform(69.6, 70.6)),
        "ipm": f(ipm),
        "ipm_raw": ipm,
        "pengeluaran_kap": _rupiah(rng.uniform(11.0e6, 11.8e6), lang),
        "pengeluaran_bulan": _rupiah(rng.uniform(1.32e6, 1.55e6), lang),
        "gini": _fmt(rng.uniform(0.305, 0.335), 3, lang),
        "n_puskesmas": round(sum(area.pops) / 11500),
        "n_sd": f(sum(area.pops) / 1500, 0),
        "morbidity": f(rng.uniform(12.5, 17.0)),
        "ntp": f(ntp),
        "ntp_raw": ntp,
        "tpk": f(rng.uniform(44, 58)),
        "months": months,
    }


def _inflation(seed: int, year: int) -> dict[str, list[float]]:
    """Monthly y-on-y, m-to-m, y-to-d inflation and CPI (2022=100) of ``year``."""
    rng = _rng(seed, "inflation", year)
    ihk_prev_dec = 105.0 + rng.uniform(0, 2.0)
    ihk_last_year = [ihk_prev_dec * (1 - 0.002 * (11 - m)) for m in range(12)]
    ihk: list[float] = []
    level = ihk_prev_dec
    for m in range(12):
        target = ihk_last_year[m] * (1 + rng.uniform(0.012, 0.036))
        level = level + (target - level) * 0.7
        ihk.append(level)
    mtm = [(ihk[m] / (ihk[m - 1] if m else ihk_prev_dec) - 1) * 100 for m in range(12)]
    return {
        "ihk": ihk,
        "mtm": mtm,
        "yoy": [(ihk[m] / ihk_last_year[m] - 1) * 100 for m in range(12)],
        "ytd": [(ihk[m] / ihk_prev_dec - 1) * 100 for m in range(12)],
    }


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
        n_table = n_chart = n_section = 0
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
            elif kind == "table":
                n_table += 1
                pages.append(
                    {
                        "type": "table",
                        "chapter": number,
                        "topic": topic_key,
                        "table": tables[(n_table - 1) % len(tables)],
                        "variant": (n_table - 1) // len(tables),
                        "number": f"{number}.{n_table}",
                    }
                )
            else:
                n_chart += 1
                pages.append(
                    {
                        "type": "chart",
                        "chapter": number,
                        "topic": topic_key,
                        "chart": charts[(n_chart - 1) % len(charts)],
                        "variant": (n_chart - 1) // len(charts),
                        "number": f"{number}.{n_chart}",
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


# --- tables -----------------------------------------------------------------------------


@dataclass
class _TableData:
    caption: str
    caption_en: str
    stub: str
    columns: list[str]
    rows: Sequence[tuple[str, Sequence[float | None]]]
    decimals: list[int]
    total: tuple[str, Sequence[float | None]] | None = None
    unit: str = ""
    source: str = "BPS Provinsi Bengkulu"


@dataclass
class _Ctx:
    """What table and chart builders need: area, year, facts and a seeded generator."""

    area: _Area
    province: _Area
    year: int
    month: int
    facts: dict[str, Any]
    rng: random.Random
    lang: str

    @property
    def p(self) -> int:
        return self.year - 1

    def local(self) -> tuple[str, list[str]]:
        return self.area.unit_label, self.area.units

    def where(self) -> str:
        return f"di {self.area.name}"


def _jitter(rng: random.Random, value: float, spread: float = 0.05) -> float:
    return value * rng.uniform(1 - spread, 1 + spread)


def _years(ctx: _Ctx, n: int = 5, variant: int = 0) -> list[int]:
    end = ctx.p - variant
    return list(range(end - n + 1, end + 1))


def _t_geo_area(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    total_area = sum(ctx.area.areas)
    rows = [
        (u, [a, a / total_area * 100, float(v)])
        for u, a, v in zip(units, ctx.area.areas, ctx.area.villages, strict=True)
    ]
    return _TableData(
        f"Luas Daerah dan Jumlah Desa/Kelurahan Menurut {label} {ctx.where()}, {ctx.p}",
        f"Total Area and Number of Villages by {_en(label)} in {ctx.facts['area']}, {ctx.p}",
        label,
        ["Luas (km²)", "Persentase (%)", "Desa/Kelurahan"],
        rows,
        [2, 2, 0],
        (ctx.area.name, [total_area, 100.0, float(sum(ctx.area.villages))]),
        source="Badan Informasi Geospasial; Biro Pemerintahan Provinsi Bengkulu",
    )


def _t_climate(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for m, rain in enumerate(dc.RAINFALL):
        rows.append(
            (
                ctx.facts["months"][m],
                [
                    _jitter(ctx.rng, 27.0, 0.03),
                    _jitter(ctx.rng, 84.0, 0.04),
                    _jitter(ctx.rng, rain, 0.2),
                    float(ctx.rng.randint(12, 26)),
                ],
            )
        )
    return _TableData(
        f"Rata-Rata Suhu, Kelembapan, Curah Hujan, dan Hari Hujan Menurut Bulan di "
        f"Stasiun Meteorologi Fatmawati Soekarno, {ctx.p - variant}",
        f"Average Temperature, Humidity, Rainfall and Rainy Days by Month at Fatmawati "
        f"Soekarno Meteorological Station, {ctx.p - variant}",
        "Bulan",
        ["Suhu (°C)", "Kelembapan (%)", "Curah Hujan (mm)", "Hari Hujan"],
        rows,
        [1, 1, 1, 0],
        source="BMKG Stasiun Meteorologi Fatmawati Soekarno",
    )


def _t_gov_villages(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    for u, v in zip(units, ctx.area.villages, strict=True):
        kel = max(0, round(v * ctx.rng.uniform(0.0, 0.25)))
        rows.append((u, [float(v - kel), float(kel), float(v)]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(3)]
    return _TableData(
        f"Jumlah Desa dan Kelurahan Menurut {label} {ctx.where()}, {ctx.p - variant}",
        f"Number of Villages by {_en(label)}, {ctx.p - variant}",
        label,
        ["Desa", "Kelurahan", "Jumlah"],
        rows,
        [0, 0, 0],
        (ctx.area.name, [float(t) for t in tot]),
        source="Biro Pemerintahan dan Otonomi Daerah",
    )


def _t_gov_asn(ctx: _Ctx, variant: int) -> _TableData:
    levels = ["SD", "SMP", "SMA/SMK", "Diploma I/II/III", "Diploma IV/S1", "S2/S3"]
    shares = [0.01, 0.02, 0.17, 0.12, 0.58, 0.10]
    total = ctx.facts["pop_raw"] * 0.013
    rows = []
    for lv, sh in zip(levels, shares, strict=True):
        male = total * sh * ctx.rng.uniform(0.38, 0.5)
        female = total * sh - male
        rows.append((lv, [male, female, male + female]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(3)]
    return _TableData(
        f"Jumlah Aparatur Sipil Negara Menurut Tingkat Pendidikan dan Jenis Kelamin "
        f"{ctx.where()}, {ctx.p - variant}",
        f"Number of Civil Servants by Education and Sex, {ctx.p - variant}",
        "Tingkat Pendidikan",
        ["Laki-laki", "Perempuan", "Jumlah"],
        rows,
        [0, 0, 0],
        ("Jumlah", tot),
        source="Badan Kepegawaian Daerah",
    )


def _t_pop_region(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    years = _years(ctx, 3, variant)
    rows = []
    for u, pop in zip(units, ctx.area.pops, strict=True):
        growth = ctx.rng.uniform(0.009, 0.019)
        vals: list[float | None] = [pop / (1 + growth) ** (ctx.p - y) / 1000 for y in years]
        vals.append(growth * 100)
        rows.append((u, vals))
    tot: list[float | None] = [sum(r[1][i] or 0 for r in rows) for i in range(3)]
    tot.append(((tot[2] or 0) / (tot[1] or 1) - 1) * 100)
    return _TableData(
        f"Jumlah Penduduk dan Laju Pertumbuhan Penduduk Menurut {label} {ctx.where()}, "
        f"{years[0]}–{years[-1]}",
        f"Population and Population Growth Rate by {_en(label)}, {years[0]}–{years[-1]}",
        label,
        [*(str(y) for y in years), f"Laju Pertumbuhan {years[-2]}–{years[-1]} (%)"],
        rows,
        [2, 2, 2, 2],
        (ctx.area.name, tot),
        unit="(ribu jiwa)",
        source="BPS, Proyeksi Penduduk Interim 2020–2050",
    )


def _t_pop_density(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    total = sum(ctx.area.pops)
    rows = []
    for u, pop, area in zip(units, ctx.area.pops, ctx.area.areas, strict=True):
        rows.append((u, [pop / 1000, pop / total * 100, pop / area, ctx.rng.uniform(100, 106)]))
    return _TableData(
        f"Persentase Penduduk, Kepadatan Penduduk, dan Rasio Jenis Kelamin Menurut "
        f"{label} {ctx.where()}, {ctx.p - variant}",
        f"Population Distribution, Density and Sex Ratio by {_en(label)}, {ctx.p - variant}",
        label,
        ["Penduduk (ribu)", "Persentase (%)", "Kepadatan (jiwa/km²)", "Rasio Jenis Kelamin"],
        rows,
        [2, 2, 0, 1],
        (
            ctx.area.name,
            [total / 1000, 100.0, total / sum(ctx.area.areas), 103.2],
        ),
        source="BPS, Proyeksi Penduduk Interim 2020–2050",
    )


def _t_pop_age_sex(ctx: _Ctx, variant: int) -> _TableData:
    total = sum(ctx.area.pops)
    rows = []
    for group, share in zip(dc.AGE_GROUPS, dc.AGE_SHARES, strict=True):
        n = total * share
        male = n * ctx.rng.uniform(0.5, 0.52)
        rows.append((group, [male, n - male, n]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(3)]
    return _TableData(
        f"Jumlah Penduduk Menurut Kelompok Umur dan Jenis Kelamin {ctx.where()}, {ctx.p - variant}",
        f"Population by Age Group and Sex in {ctx.facts['area']}, {ctx.p - variant}",
        "Kelompok Umur",
        ["Laki-laki", "Perempuan", "Jumlah"],
        rows,
        [0, 0, 0],
        ("Jumlah", tot),
        unit="(jiwa)",
        source="BPS, Proyeksi Penduduk Interim 2020–2050",
    )


def _t_pop_assumption(ctx: _Ctx, variant: int) -> _TableData:
    years = list(range(2020, 2046, 5))
    rows = [
        ("Angka Kelahiran Total (TFR)", [2.28 - 0.04 * i for i in range(len(years))]),
        ("Angka Kematian Bayi (per 1000)", [19.8 - 1.6 * i for i in range(len(years))]),
        ("Harapan Hidup Laki-laki", [68.3 + 0.7 * i for i in range(len(years))]),
        ("Harapan Hidup Perempuan", [72.1 + 0.6 * i for i in range(len(years))]),
        ("Migrasi Neto (ribu)", [1.9 - 0.1 * i for i in range(len(years))]),
    ]
    return _TableData(
        f"Asumsi Komponen Proyeksi Penduduk {ctx.where()}, 2020–2045",
        "Population Projection Assumptions, 2020–2045",
        "Komponen",
        [str(y) for y in years],
        [(n, [float(v) for v in vals]) for n, vals in rows],
        [2] * len(years),
        source="BPS, Proyeksi Penduduk Interim 2020–2050",
    )


def _t_labor_status(ctx: _Ctx, variant: int) -> _TableData:
    pop = ctx.facts["pop_raw"]
    years = _years(ctx, 3, variant)
    rows: list[tuple[str, list[float | None]]] = []
    puk = [pop * 0.735 * (1 - 0.013 * (ctx.p - y)) for y in years]
    tpak = [ctx.rng.uniform(68.5, 72.5) for _ in years]
    tpt = [ctx.facts["tpt_raw"] * (1 + 0.06 * (ctx.p - y)) for y in years]
    ak = [a * b / 100 for a, b in zip(puk, tpak, strict=True)]
    unemp = [a * t / 100 for a, t in zip(ak, tpt, strict=True)]
    rows.append(("Penduduk Usia Kerja", list(puk)))
    rows.append(("Angkatan Kerja", list(ak)))
    rows.append(("   Bekerja", [a - u for a, u in zip(ak, unemp, strict=True)]))
    rows.append(("   Pengangguran", list(unemp)))
    rows.append(("Bukan Angkatan Kerja", [a - b for a, b in zip(puk, ak, strict=True)]))
    return _TableData(
        f"Penduduk Berumur 15 Tahun ke Atas Menurut Jenis Kegiatan {ctx.where()}, "
        f"Agustus {years[0]}–{years[-1]}",
        f"Population Aged 15 and Over by Type of Activity, August {years[0]}–{years[-1]}",
        "Jenis Kegiatan",
        [f"Agustus {y}" for y in years],
        rows,
        [0, 0, 0],
        None,
        unit="(orang)",
        source="BPS, Survei Angkatan Kerja Nasional (Sakernas) Agustus",
    )


def _t_labor_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop, tr in zip(prov.units, prov.pops, prov.traits, strict=True):
        tpak = ctx.rng.uniform(66.0, 75.0)
        tpt = _jitter(ctx.rng, tr["tpt"], 0.1)
        ak = pop * 0.735 * tpak / 100
        rows.append((u, [ak, ak * (1 - tpt / 100), tpak, tpt]))
    ak_t = sum(r[1][0] or 0 for r in rows)
    bek_t = sum(r[1][1] or 0 for r in rows)
    return _TableData(
        f"Angkatan Kerja, Penduduk Bekerja, TPAK, dan TPT Menurut Kabupaten/Kota di "
        f"Provinsi Bengkulu, Agustus {ctx.p - variant}",
        f"Labor Force, Employment, LFPR and Open Unemployment Rate by Regency/Municipality, "
        f"August {ctx.p - variant}",
        "Kabupaten/Kota",
        ["Angkatan Kerja", "Bekerja", "TPAK (%)", "TPT (%)"],
        rows,
        [0, 0, 2, 2],
        (dc.PROVINCE, [ak_t, bek_t, 70.9, (1 - bek_t / ak_t) * 100]),
        source="BPS, Survei Angkatan Kerja Nasional (Sakernas) Agustus",
    )


def _t_labor_sector(ctx: _Ctx, variant: int) -> _TableData:
    sectors = [
        ("Pertanian, Kehutanan, dan Perikanan", 43.0),
        ("Pertambangan dan Penggalian", 1.3),
        ("Industri Pengolahan", 5.4),
        ("Konstruksi", 4.6),
        ("Perdagangan Besar dan Eceran", 17.2),
        ("Transportasi dan Pergudangan", 3.1),
        ("Akomodasi dan Makan Minum", 5.0),
        ("Administrasi Pemerintahan", 5.2),
        ("Jasa Pendidikan", 6.0),
        ("Jasa Kesehatan", 1.9),
        ("Jasa Lainnya", 7.3),
    ]
    years = _years(ctx, 3, variant)
    rows = []
    for name, share in sectors:
        rows.append((name, [_jitter(ctx.rng, share, 0.06) for _ in years]))
    return _TableData(
        f"Persentase Penduduk Bekerja Menurut Lapangan Pekerjaan Utama {ctx.where()}, "
        f"Agustus {years[0]}–{years[-1]}",
        f"Percentage of Employed Population by Main Industry, August {years[0]}–{years[-1]}",
        "Lapangan Pekerjaan Utama",
        [str(y) for y in years],
        rows,
        [2, 2, 2],
        ("Jumlah", [100.0, 100.0, 100.0]),
        unit="(persen)",
        source="BPS, Sakernas Agustus",
    )


def _t_unemp_edu(ctx: _Ctx, variant: int) -> _TableData:
    levels = [
        ("SD ke Bawah", 1.6),
        ("SMP", 3.1),
        ("SMA Umum", 5.8),
        ("SMA Kejuruan", 7.9),
        ("Diploma I/II/III", 4.2),
        ("Universitas", 5.1),
    ]
    years = _years(ctx, 3, variant)
    rows = [
        (n, [_jitter(ctx.rng, v * (1 + 0.05 * (ctx.p - y)), 0.08) for y in years])
        for n, v in levels
    ]
    return _TableData(
        f"Tingkat Pengangguran Terbuka Menurut Pendidikan Tertinggi yang Ditamatkan "
        f"{ctx.where()}, Agustus {years[0]}–{years[-1]}",
        f"Open Unemployment Rate by Educational Attainment, August {years[0]}–{years[-1]}",
        "Pendidikan Tertinggi",
        [str(y) for y in years],
        rows,
        [2, 2, 2],
        ("Total", [ctx.facts["tpt_raw"] * (1 + 0.05 * (ctx.p - y)) for y in years]),
        unit="(persen)",
        source="BPS, Sakernas Agustus",
    )


def _t_edu_school(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    for u, pop in zip(units, ctx.area.pops, strict=True):
        sd = max(1, round(pop / 1500 * ctx.rng.uniform(0.85, 1.15)))
        smp = max(1, round(sd * ctx.rng.uniform(0.3, 0.45)))
        sma = max(1, round(sd * ctx.rng.uniform(0.12, 0.22)))
        murid = pop * 0.11 * ctx.rng.uniform(0.9, 1.1)
        guru = murid / ctx.rng.uniform(12, 17)
        rows.append((u, [float(sd), float(smp), float(sma), murid, guru]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(5)]
    return _TableData(
        f"Jumlah Sekolah, Murid, dan Guru Sekolah Dasar Menurut {label} {ctx.where()}, "
        f"{ctx.p - variant}/{ctx.p - variant + 1}",
        f"Number of Schools, Pupils and Teachers by {_en(label)}, "
        f"{ctx.p - variant}/{ctx.p - variant + 1}",
        label,
        ["SD", "SMP", "SMA/SMK", "Murid SD", "Guru SD"],
        rows,
        [0, 0, 0, 0, 0],
        (ctx.area.name, tot),
        source="Kementerian Pendidikan Dasar dan Menengah, Data Pokok Pendidikan",
    )


def _t_edu_participation(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    base = [
        ("APS 7–12 tahun", 99.4),
        ("APS 13–15 tahun", 96.2),
        ("APS 16–18 tahun", 77.5),
        ("APS 19–23 tahun", 31.5),
        ("APK SD", 106.0),
        ("APK SMP", 91.0),
        ("APK SMA", 88.5),
        ("APM SD", 97.8),
        ("APM SMP", 79.6),
        ("APM SMA", 64.2),
    ]
    rows = []
    for name, v in base:
        rows.append(
            (
                name,
                [
                    min(
                        100.0 if "APS" in name else 130.0,
                        v - 0.4 * (ctx.p - y) + ctx.rng.uniform(-0.5, 0.5),
                    )
                    for y in years
                ],
            )
        )
    return _TableData(
        f"Angka Partisipasi Sekolah (APS), Angka Partisipasi Kasar (APK), dan Angka "
        f"Partisipasi Murni (APM) {ctx.where()}, {years[0]}–{years[-1]}",
        f"School Participation, Gross and Net Enrollment Ratios, {years[0]}–{years[-1]}",
        "Indikator",
        [str(y) for y in years],
        rows,
        [2] * len(years),
        unit="(persen)",
        source="BPS, Survei Sosial Ekonomi Nasional (Susenas) Maret",
    )


def _t_edu_attainment(ctx: _Ctx, variant: int) -> _TableData:
    levels = [
        ("Tidak/Belum Pernah Sekolah", 2.1),
        ("Tidak Tamat SD", 9.8),
        ("SD/Sederajat", 24.6),
        ("SMP/Sederajat", 21.0),
        ("SMA/Sederajat", 30.5),
        ("Perguruan Tinggi", 12.0),
    ]
    rows = []
    for name, v in levels:
        urban = v * (0.6 if name.startswith(("Tidak", "SD")) else 1.3)
        rural = v * (1.2 if name.startswith(("Tidak", "SD")) else 0.85)
        rows.append((name, [_jitter(ctx.rng, urban, 0.05), _jitter(ctx.rng, rural, 0.05), v]))
    return _TableData(
        f"Persentase Penduduk Berumur 15 Tahun ke Atas Menurut Pendidikan Tertinggi yang "
        f"Ditamatkan dan Daerah Tempat Tinggal {ctx.where()}, {ctx.p - variant}",
        f"Population Aged 15 and Over by Educational Attainment and Area, {ctx.p - variant}",
        "Pendidikan Tertinggi",
        ["Perkotaan", "Perdesaan", "Perkotaan + Perdesaan"],
        rows,
        [2, 2, 2],
        unit="(persen)",
        source="BPS, Susenas Maret",
    )


def _t_health_facilities(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    for u, pop in zip(units, ctx.area.pops, strict=True):
        rs = float(round(pop / 90000 * ctx.rng.uniform(0.6, 1.4)))
        pk = float(max(1, round(pop / 11500 * ctx.rng.uniform(0.8, 1.2))))
        klinik = float(round(pop / 9000 * ctx.rng.uniform(0.3, 1.6)))
        posy = float(round(pop / 620 * ctx.rng.uniform(0.85, 1.15)))
        rows.append((u, [rs, pk, klinik, posy]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(4)]
    return _TableData(
        f"Jumlah Rumah Sakit, Puskesmas, Klinik, dan Posyandu Menurut {label} "
        f"{ctx.where()}, {ctx.p - variant}",
        f"Number of Hospitals, Community Health Centres, Clinics and Integrated Service Posts "
        f"by {_en(label)}, {ctx.p - variant}",
        label,
        ["Rumah Sakit", "Puskesmas", "Klinik", "Posyandu"],
        rows,
        [0, 0, 0, 0],
        (ctx.area.name, tot),
        source="Dinas Kesehatan Provinsi Bengkulu",
    )


def _t_health_indicators(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    base = [
        ("Penduduk yang Mempunyai Keluhan Kesehatan", 29.5),
        ("Angka Kesakitan", 14.6),
        ("Penduduk yang Berobat Jalan", 41.0),
        ("Memiliki Jaminan Kesehatan", 71.0),
        ("Persalinan Ditolong Tenaga Kesehatan", 96.0),
        ("Balita Pernah Diberi ASI", 95.5),
    ]
    rows = [
        (n, [min(99.9, _jitter(ctx.rng, v + 0.6 * (y - years[0]), 0.03)) for y in years])
        for n, v in base
    ]
    return _TableData(
        f"Indikator Kesehatan Penduduk {ctx.where()}, {years[0]}–{years[-1]}",
        f"Health Indicators, {years[0]}–{years[-1]}",
        "Indikator",
        [str(y) for y in years],
        rows,
        [2] * len(years),
        unit="(persen)",
        source="BPS, Susenas Maret",
    )


def _t_poverty_series(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    pct_now = ctx.facts["miskin_raw"]
    pop = ctx.facts["pop_raw"]
    periods = []
    for y in range(ctx.year - 5 - variant, ctx.year + 1 - variant):
        periods.append(f"Maret {y}")
        if y < ctx.year - variant:
            periods.append(f"September {y}")
    n = len(periods)
    for i, label in enumerate(periods):
        pct = pct_now + 0.22 * (n - 1 - i) + ctx.rng.uniform(-0.15, 0.15)
        total = pop * (1 - 0.013 * (n - 1 - i) / 2) * pct / 100 / 1000
        urban = total * ctx.rng.uniform(0.33, 0.37)
        rows.append((label, [urban, total - urban, total, pct]))
    return _TableData(
        f"Jumlah dan Persentase Penduduk Miskin Menurut Daerah {ctx.where()}, "
        f"{periods[0]}–{periods[-1]}",
        f"Number and Percentage of Poor People by Area, {periods[0]}–{periods[-1]}",
        "Periode",
        ["Perkotaan (ribu)", "Perdesaan (ribu)", "Jumlah (ribu)", "Persentase (%)"],
        rows[-11:],
        [2, 2, 2, 2],
        source="BPS, Survei Sosial Ekonomi Nasional (Susenas)",
    )


def _t_poverty_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop, tr in zip(prov.units, prov.pops, prov.traits, strict=True):
        pct = _jitter(ctx.rng, tr["miskin"], 0.04)
        gk = ctx.rng.uniform(560000, 760000)
        rows.append(
            (
                u,
                [
                    gk,
                    pop * pct / 100 / 1000,
                    pct,
                    ctx.rng.uniform(1.6, 3.2),
                    ctx.rng.uniform(0.35, 0.9),
                ],
            )
        )
    return _TableData(
        f"Garis Kemiskinan, Jumlah dan Persentase Penduduk Miskin, Indeks Kedalaman (P1) dan "
        f"Indeks Keparahan (P2) Kemiskinan Menurut Kabupaten/Kota, {ctx.p - variant}",
        f"Poverty Line, Number and Percentage of Poor People, P1 and P2 by "
        f"Regency/Municipality, {ctx.p - variant}",
        "Kabupaten/Kota",
        ["Garis Kemiskinan (Rp/kap/bln)", "Penduduk Miskin (ribu)", "Persentase (%)", "P1", "P2"],
        rows,
        [0, 2, 2, 2, 2],
        source="BPS, Susenas Maret",
    )


def _t_poverty_line(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for y in range(ctx.year - 4 - variant, ctx.year + 1 - variant):
        food = 520000 * (1.045 ** (y - ctx.year + 4))
        nonfood = food * ctx.rng.uniform(0.32, 0.36)
        rows.append((f"Maret {y}", [food, nonfood, food + nonfood, food / (food + nonfood) * 100]))
    return _TableData(
        f"Garis Kemiskinan Makanan dan Bukan Makanan {ctx.where()}, "
        f"Maret {ctx.year - 4 - variant}–Maret {ctx.year - variant}",
        "Food and Non-Food Poverty Line",
        "Periode",
        [
            "GK Makanan (Rp)",
            "GK Bukan Makanan (Rp)",
            "Garis Kemiskinan (Rp)",
            "Sumbangan Makanan (%)",
        ],
        rows,
        [0, 0, 0, 2],
        unit="(rupiah/kapita/bulan)",
        source="BPS, Susenas Maret",
    )


def _t_padi_region(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    for u, tr in zip(units, ctx.area.traits, strict=True):
        luas = max(0.0, 61000 * tr["padi"] * ctx.rng.uniform(0.85, 1.15))
        if label == "Kecamatan":
            luas /= len(units) * 0.08
        yld = ctx.rng.uniform(40.0, 52.0)
        rows.append((u, [luas, yld, luas * yld / 10]))
    lt = sum(r[1][0] or 0 for r in rows)
    pt = sum(r[1][2] or 0 for r in rows)
    return _TableData(
        f"Luas Panen, Produktivitas, dan Produksi Padi Menurut {label} {ctx.where()}, "
        f"{ctx.p - variant}",
        f"Harvested Area, Productivity and Production of Paddy by {_en(label)}, {ctx.p - variant}",
        label,
        ["Luas Panen (ha)", "Produktivitas (ku/ha)", "Produksi (ton GKG)"],
        rows,
        [0, 2, 0],
        (ctx.area.name, [lt, pt / lt * 10 if lt else 0.0, pt]),
        source="BPS, Survei Kerangka Sampel Area (KSA) dan Survei Ubinan",
    )


def _t_padi_monthly(ctx: _Ctx, variant: int) -> _TableData:
    shape = (0.07, 0.10, 0.16, 0.14, 0.07, 0.05, 0.07, 0.09, 0.08, 0.05, 0.05, 0.07)
    total_luas = (
        61000.0 if ctx.area.code == "17" else 61000 * dc.REGION_TRAITS[ctx.area.code]["padi"]
    )
    rows = []
    for m, sh in enumerate(shape):
        luas = total_luas * sh * ctx.rng.uniform(0.85, 1.15)
        prod = luas * ctx.rng.uniform(4.2, 4.9)
        rows.append((ctx.facts["months"][m], [luas, prod, prod * 0.5748]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(3)]
    return _TableData(
        f"Luas Panen, Produksi Padi, dan Produksi Beras Menurut Bulan {ctx.where()}, "
        f"{ctx.p - variant}",
        f"Harvested Area, Paddy and Rice Production by Month, {ctx.p - variant}",
        "Bulan",
        ["Luas Panen (ha)", "Produksi Padi (ton GKG)", "Produksi Beras (ton)"],
        rows,
        [0, 0, 0],
        ("Jumlah", tot),
        source="BPS, Survei KSA",
    )


def _t_estate_region(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    scale = 1.0 if label != "Kecamatan" else 1.0 / len(units)
    for u, tr in zip(units, ctx.area.traits, strict=True):
        sawit = 1_120_000 * tr["sawit"] * ctx.rng.uniform(0.85, 1.15) * scale * 10
        karet = 95000 * ctx.rng.uniform(0.02, 0.2) * scale * 10
        kopi = 58000 * tr["kopi"] * ctx.rng.uniform(0.85, 1.15) * scale * 10
        kelapa = 9000 * ctx.rng.uniform(0.02, 0.2) * scale * 10
        rows.append((u, [sawit / 10, karet / 10, kopi / 10, kelapa / 10]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(4)]
    return _TableData(
        f"Produksi Tanaman Perkebunan Menurut {label} dan Jenis Tanaman {ctx.where()}, "
        f"{ctx.p - variant}",
        f"Estate Crops Production by {_en(label)} and Crop, {ctx.p - variant}",
        label,
        ["Kelapa Sawit", "Karet", "Kopi", "Kelapa"],
        rows,
        [0, 0, 0, 0],
        (ctx.area.name, tot),
        unit="(ton)",
        source="Dinas Tanaman Pangan, Hortikultura, dan Perkebunan",
    )


def _t_estate_area(ctx: _Ctx, variant: int) -> _TableData:
    crops = [
        ("Kelapa Sawit", 410000),
        ("Karet", 125000),
        ("Kopi", 90000),
        ("Kelapa", 9800),
        ("Kakao", 6500),
        ("Lada", 2900),
        ("Cengkeh", 1200),
    ]
    years = _years(ctx, 5, variant)
    rows = [
        (c, [_jitter(ctx.rng, v * (1 + 0.01 * (y - years[-1])), 0.02) for y in years])
        for c, v in crops
    ]
    return _TableData(
        f"Luas Areal Tanaman Perkebunan Rakyat Menurut Jenis Tanaman {ctx.where()}, "
        f"{years[0]}–{years[-1]}",
        f"Smallholder Estate Crops Area by Crop, {years[0]}–{years[-1]}",
        "Jenis Tanaman",
        [str(y) for y in years],
        rows,
        [0] * len(years),
        unit="(hektare)",
        source="Dinas Tanaman Pangan, Hortikultura, dan Perkebunan",
    )


def _t_tourism_monthly(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for m in range(12):
        tpk = ctx.rng.uniform(38, 62) + (6 if m in (5, 6, 11) else 0)
        dom = ctx.rng.uniform(14000, 23000)
        asing = ctx.rng.uniform(40, 160)
        rows.append((ctx.facts["months"][m], [tpk, dom, asing, ctx.rng.uniform(1.3, 1.8)]))
    return _TableData(
        f"Tingkat Penghunian Kamar (TPK), Jumlah Tamu, dan Rata-Rata Lama Menginap Tamu "
        f"Hotel Berbintang Menurut Bulan {ctx.where()}, {ctx.p - variant}",
        f"Room Occupancy Rate, Guests and Average Length of Stay at Classified Hotels by Month, "
        f"{ctx.p - variant}",
        "Bulan",
        ["TPK (%)", "Tamu Domestik", "Tamu Asing", "Lama Menginap (malam)"],
        rows,
        [2, 0, 0, 2],
        source="BPS, Survei Penghunian Kamar Hotel",
    )


def _t_hotel_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop in zip(prov.units, prov.pops, strict=True):
        big = 1.0 if u == "Kota Bengkulu" else 0.15
        star = float(round(12 * big * ctx.rng.uniform(0.5, 1.2)))
        other = float(round(pop / 6000 * ctx.rng.uniform(0.6, 1.4) * (2 if big == 1 else 1)))
        rooms = (star * 60 + other * 14) * ctx.rng.uniform(0.9, 1.1)
        rows.append((u, [star, other, star + other, rooms]))
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(4)]
    return _TableData(
        f"Jumlah Usaha Akomodasi dan Kamar Menurut Kabupaten/Kota di Provinsi Bengkulu, "
        f"{ctx.p - variant}",
        f"Number of Accommodation Establishments and Rooms by Regency/Municipality, "
        f"{ctx.p - variant}",
        "Kabupaten/Kota",
        ["Hotel Berbintang", "Akomodasi Lainnya", "Jumlah Usaha", "Jumlah Kamar"],
        rows,
        [0, 0, 0, 0],
        (dc.PROVINCE, tot),
        source="BPS, Direktori Usaha Akomodasi",
    )


def _t_roads(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    for u, area in zip(units, ctx.area.areas, strict=True):
        length = area * ctx.rng.uniform(0.35, 0.6) * (4 if u == "Kota Bengkulu" else 1)
        good = ctx.rng.uniform(0.45, 0.7)
        fair = ctx.rng.uniform(0.1, 0.25)
        bad = ctx.rng.uniform(0.05, 1 - good - fair - 0.02)
        rows.append(
            (
                u,
                [
                    length * good,
                    length * fair,
                    length * bad,
                    length * (1 - good - fair - bad),
                    length,
                ],
            )
        )
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(5)]
    return _TableData(
        f"Panjang Jalan Menurut {label} dan Kondisi Jalan {ctx.where()}, {ctx.p - variant}",
        f"Length of Roads by {_en(label)} and Condition, {ctx.p - variant}",
        label,
        ["Baik", "Sedang", "Rusak", "Rusak Berat", "Jumlah"],
        rows,
        [2, 2, 2, 2, 2],
        (ctx.area.name, tot),
        unit="(km)",
        source="Dinas Pekerjaan Umum dan Penataan Ruang",
    )


def _t_airport(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for m in range(12):
        arr = ctx.rng.uniform(42000, 68000) * (1.25 if m in (3, 5, 11) else 1)
        dep = arr * ctx.rng.uniform(0.92, 1.08)
        rows.append(
            (ctx.facts["months"][m], [float(round(arr / 150)), arr, dep, ctx.rng.uniform(80, 220)])
        )
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(4)]
    return _TableData(
        f"Jumlah Penerbangan, Penumpang, dan Barang di Bandar Udara Fatmawati Soekarno "
        f"Menurut Bulan, {ctx.p - variant}",
        f"Flights, Passengers and Cargo at Fatmawati Soekarno Airport by Month, {ctx.p - variant}",
        "Bulan",
        ["Penerbangan", "Penumpang Datang", "Penumpang Berangkat", "Bongkar Barang (ton)"],
        rows,
        [0, 0, 0, 1],
        ("Jumlah", tot),
        source="PT Angkasa Pura Indonesia, Bandar Udara Fatmawati Soekarno",
    )


def _t_cpi_groups(ctx: _Ctx, variant: int) -> _TableData:
    if ctx.month:
        year, month = ctx.year, ctx.month - 1 - variant
    else:  # books show December of the data year
        year, month = ctx.p, 11 - variant
    if month < 0:
        month += 12
        year -= 1
    mname = dc.MONTHS[month] if ctx.lang == "id" else dc.MONTHS_EN[month]
    infl = _inflation(ctx.facts.get("seed", 0), year)
    head_yoy, head_mtm, ihk = infl["yoy"][month], infl["mtm"][month], infl["ihk"][month]
    raw_weights = (34.0, 4.2, 16.9, 4.1, 3.3, 12.2, 5.6, 1.9, 5.9, 7.8, 4.1)
    weights = [w * 100 / sum(raw_weights) for w in raw_weights]
    yoy = [
        head_yoy + (ctx.rng.uniform(0.5, 2.5) if i == 0 else ctx.rng.uniform(-1.8, 1.2))
        for i in range(len(weights))
    ]
    mtm = [
        head_mtm + (ctx.rng.uniform(-0.3, 0.9) if i == 0 else ctx.rng.uniform(-0.4, 0.3))
        for i in range(len(weights))
    ]
    # Shift every group so the weighted contributions add up to the headline figures.
    dy = head_yoy - sum(y * w for y, w in zip(yoy, weights, strict=True)) / 100
    dm = head_mtm - sum(m * w for m, w in zip(mtm, weights, strict=True)) / 100
    rows: list[tuple[str, list[float | None]]] = []
    for g, w, y, m in zip(dc.CPI_GROUPS, weights, yoy, mtm, strict=True):
        now = ctx.rng.uniform(102.0, 112.0)
        y, m = y + dy, m + dm
        rows.append((g, [now / (1 + m / 100), now, m, y, y * w / 100]))
    return _TableData(
        f"Inflasi Year on Year (y-on-y) Provinsi Bengkulu Menurut Kelompok Pengeluaran, "
        f"{mname} {year} (2022=100)",
        f"Year-on-Year Inflation of Bengkulu Province by Expenditure Group, {mname} {year} "
        f"(2022=100)",
        "Kelompok Pengeluaran",
        [
            "IHK Bulan Lalu",
            f"IHK {mname} {year}",
            "Inflasi m-to-m (%)",
            "Inflasi y-on-y (%)",
            "Andil y-on-y (%)",
        ],
        rows,
        [2, 2, 2, 2, 2],
        ("Umum", [ihk / (1 + head_mtm / 100), ihk, head_mtm, head_yoy, head_yoy]),
        source="BPS, Survei Harga Konsumen",
    )


def _t_cpi_monthly(ctx: _Ctx, variant: int) -> _TableData:
    year = ctx.year - variant if ctx.month else ctx.p - variant
    infl = _inflation(ctx.facts.get("seed", 0), year)
    last = ctx.month if ctx.month and variant == 0 else 12
    rows = []
    for m in range(last):
        rows.append(
            (
                ctx.facts["months"][m],
                [
                    infl["ihk"][m],
                    infl["mtm"][m],
                    infl["ytd"][m],
                    infl["yoy"][m],
                    infl["yoy"][m] + ctx.rng.uniform(-0.6, 0.6),
                ],
            )
        )
    return _TableData(
        f"IHK dan Inflasi Provinsi Bengkulu Menurut Bulan, {year} (2022=100)",
        f"Consumer Price Index and Inflation of Bengkulu Province by Month, {year} (2022=100)",
        "Bulan",
        [
            "IHK",
            "Inflasi m-to-m (%)",
            "Inflasi y-to-d (%)",
            "Inflasi y-on-y (%)",
            "y-on-y Mukomuko (%)",
        ],
        rows,
        [2, 2, 2, 2, 2],
        source="BPS, Survei Harga Konsumen",
    )


def _t_ntp_monthly(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    base = float(ctx.facts["ntp_raw"])
    for m in range(12):
        it = ctx.rng.uniform(160, 175) + m * 0.8
        ntp = base + ctx.rng.uniform(-7, 7)
        rows.append(
            (ctx.facts["months"][m], [it, it / ntp * 100, ntp, ntp * ctx.rng.uniform(1.0, 1.08)])
        )
    return _TableData(
        f"Indeks Harga yang Diterima Petani (It), Indeks Harga yang Dibayar Petani (Ib), NTP, "
        f"dan NTUP Provinsi Bengkulu Menurut Bulan, {ctx.p - variant} (2018=100)",
        f"Farmer Terms of Trade by Month, {ctx.p - variant} (2018=100)",
        "Bulan",
        ["It", "Ib", "NTP", "NTUP"],
        rows,
        [2, 2, 2, 2],
        source="BPS, Survei Harga Perdesaan",
    )


def _t_ntp_subsector(ctx: _Ctx, variant: int) -> _TableData:
    subs = [
        ("Tanaman Pangan", 104.0),
        ("Hortikultura", 112.0),
        ("Tanaman Perkebunan Rakyat", 182.0),
        ("Peternakan", 104.5),
        ("Perikanan", 101.2),
    ]
    years = _years(ctx, 5, variant)
    rows = [
        (s, [_jitter(ctx.rng, v * (1 + 0.03 * (y - years[-1])), 0.03) for y in years])
        for s, v in subs
    ]
    return _TableData(
        f"Rata-Rata Nilai Tukar Petani Menurut Subsektor {ctx.where()}, {years[0]}–{years[-1]}",
        f"Average Farmer Terms of Trade by Subsector, {years[0]}–{years[-1]}",
        "Subsektor",
        [str(y) for y in years],
        rows,
        [2] * len(years),
        source="BPS, Survei Harga Perdesaan",
    )


def _t_pdrb_lu(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    total_last = 91500.0 * (ctx.facts["pop_raw"] / 2.1e6 if ctx.area.code != "17" else 1.0)
    rows = []
    for code, name, share, growth in dc.INDUSTRIES:
        last = total_last * share / 100 * ctx.rng.uniform(0.96, 1.04)
        rows.append(
            (
                f"{code}. {name}",
                [last / (1 + (growth + 3.0) / 100) ** (years[-1] - y) for y in years],
            )
        )
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(len(years))]
    return _TableData(
        f"PDRB Atas Dasar Harga Berlaku Menurut Lapangan Usaha {ctx.where()}, "
        f"{years[0]}–{years[-1]}",
        f"GRDP at Current Market Prices by Industry, {years[0]}–{years[-1]}",
        "Lapangan Usaha",
        [
            str(y) if y < years[-1] - 1 else f"{y}*" if y == years[-1] - 1 else f"{y}**"
            for y in years
        ],
        rows,
        [2] * len(years),
        ("PDRB", tot),
        unit="(miliar rupiah)",
        source="BPS Provinsi Bengkulu",
    )


def _t_pdrb_growth(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = []
    for code, name, _share, growth in dc.INDUSTRIES:
        vals: list[float | None] = []
        for y in years:
            g = growth + ctx.rng.uniform(-1.5, 1.5)
            if y == 2020:
                g = growth - ctx.rng.uniform(3, 9)
            vals.append(g)
        rows.append((f"{code}. {name}", vals))
    gdp = [
        (-0.02 if y == 2020 else 3.2 if y == 2021 else 4.3) + ctx.rng.uniform(-0.3, 0.3)
        for y in years
    ]
    return _TableData(
        f"Laju Pertumbuhan PDRB Atas Dasar Harga Konstan 2010 Menurut Lapangan Usaha "
        f"{ctx.where()}, {years[0]}–{years[-1]}",
        f"Growth Rate of GRDP at 2010 Constant Prices by Industry, {years[0]}–{years[-1]}",
        "Lapangan Usaha",
        [str(y) for y in years],
        rows,
        [2] * len(years),
        ("PDRB", gdp),
        unit="(persen)",
    )


def _t_pdrb_share(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = []
    for code, name, share, _growth in dc.INDUSTRIES:
        rows.append((f"{code}. {name}", [_jitter(ctx.rng, share, 0.03) for _ in years]))
    return _TableData(
        f"Distribusi Persentase PDRB Atas Dasar Harga Berlaku Menurut Lapangan Usaha "
        f"{ctx.where()}, {years[0]}–{years[-1]}",
        f"Percentage Distribution of GRDP at Current Prices by Industry, {years[0]}–{years[-1]}",
        "Lapangan Usaha",
        [str(y) for y in years],
        rows,
        [2] * len(years),
        ("PDRB", [100.0] * len(years)),
        unit="(persen)",
    )


def _t_pdrb_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop in zip(prov.units, prov.pops, strict=True):
        mult = 1.35 if u == "Kota Bengkulu" else ctx.rng.uniform(0.75, 1.05)
        adhb = 91500 * pop / 2.1e6 * mult
        rows.append((u, [adhb, adhb * 0.63, ctx.rng.uniform(3.4, 5.2), adhb * 1e9 / pop / 1e6]))
    tot = [sum(r[1][0] or 0 for r in rows), sum(r[1][1] or 0 for r in rows), 4.28, 44.1]
    return _TableData(
        f"PDRB, Laju Pertumbuhan, dan PDRB per Kapita Menurut Kabupaten/Kota di Provinsi "
        f"Bengkulu, {ctx.p - variant}",
        f"GRDP, Growth Rate and GRDP per Capita by Regency/Municipality, {ctx.p - variant}",
        "Kabupaten/Kota",
        ["ADHB (miliar Rp)", "ADHK 2010 (miliar Rp)", "Pertumbuhan (%)", "Per Kapita (juta Rp)"],
        rows,
        [2, 2, 2, 2],
        (dc.PROVINCE, tot),
    )


def _t_pdrb_exp(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = []
    for name, share, growth in dc.EXPENDITURE:
        last = 91500 * share / 100
        rows.append(
            (
                name,
                [
                    last / (1 + (growth + 3) / 100) ** (years[-1] - y) * ctx.rng.uniform(0.98, 1.02)
                    for y in years
                ],
            )
        )
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(len(years))]
    return _TableData(
        f"PDRB Atas Dasar Harga Berlaku Menurut Pengeluaran {ctx.where()}, {years[0]}–{years[-1]}",
        f"GRDP at Current Prices by Expenditure, {years[0]}–{years[-1]}",
        "Komponen Pengeluaran",
        [str(y) for y in years],
        rows,
        [2] * len(years),
        ("PDRB", tot),
        unit="(miliar rupiah)",
    )


def _t_pdrb_exp_growth(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = [
        (n, [g + ctx.rng.uniform(-2, 2) - (6 if y == 2020 else 0) for y in years])
        for n, _s, g in dc.EXPENDITURE
    ]
    return _TableData(
        f"Laju Pertumbuhan PDRB Atas Dasar Harga Konstan 2010 Menurut Pengeluaran "
        f"{ctx.where()}, {years[0]}–{years[-1]}",
        f"Growth of GRDP at 2010 Constant Prices by Expenditure, {years[0]}–{years[-1]}",
        "Komponen Pengeluaran",
        [str(y) for y in years],
        rows,
        [2] * len(years),
        unit="(persen)",
    )


def _t_ipm_series(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 6, variant)
    rows = []
    ipm_last = float(ctx.facts["ipm_raw"])
    for y in years:
        back = years[-1] - y
        rows.append(
            (
                str(y),
                [
                    69.9 + 0.2 * (6 - back) + ctx.rng.uniform(-0.05, 0.05),
                    13.2 + 0.08 * (6 - back),
                    8.6 + 0.09 * (6 - back),
                    10600 + 170 * (6 - back) + ctx.rng.uniform(-40, 40),
                    ipm_last - 0.62 * back,
                ],
            )
        )
    return _TableData(
        f"Komponen Indeks Pembangunan Manusia {ctx.where()}, {years[0]}–{years[-1]}",
        f"Human Development Index Components, {years[0]}–{years[-1]}",
        "Tahun",
        ["UHH (tahun)", "HLS (tahun)", "RLS (tahun)", "Pengeluaran (ribu Rp)", "IPM"],
        rows,
        [2, 2, 2, 0, 2],
        source="BPS, Indeks Pembangunan Manusia",
    )


def _t_ipm_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, tr in zip(prov.units, prov.traits, strict=True):
        ipm = _jitter(ctx.rng, tr["ipm"], 0.005) - 0.6 * variant
        rows.append(
            (u, [ipm * 0.96 + ctx.rng.uniform(-1, 1), ipm / 5.4, ipm / 8.0, ipm * 150, ipm])
        )
    return _TableData(
        f"Indeks Pembangunan Manusia dan Komponennya Menurut Kabupaten/Kota di Provinsi "
        f"Bengkulu, {ctx.p - variant}",
        f"Human Development Index and its Components by Regency/Municipality, {ctx.p - variant}",
        "Kabupaten/Kota",
        ["UHH (tahun)", "HLS (tahun)", "RLS (tahun)", "Pengeluaran (ribu Rp)", "IPM"],
        rows,
        [2, 2, 2, 0, 2],
        source="BPS, Indeks Pembangunan Manusia",
    )


def _t_housing(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u in prov.units:
        city = u == "Kota Bengkulu"
        rows.append(
            (
                u,
                [
                    ctx.rng.uniform(88, 97) if city else ctx.rng.uniform(70, 92),
                    ctx.rng.uniform(88, 96) if city else ctx.rng.uniform(68, 88),
                    ctx.rng.uniform(99.0, 100.0) if city else ctx.rng.uniform(96.5, 99.8),
                    ctx.rng.uniform(62, 75) if city else ctx.rng.uniform(80, 92),
                ],
            )
        )
    return _TableData(
        f"Persentase Rumah Tangga Menurut Akses Air Minum Layak, Sanitasi Layak, Listrik, dan "
        f"Status Kepemilikan Rumah Milik Sendiri Menurut Kabupaten/Kota, {ctx.p - variant}",
        f"Percentage of Households by Access to Safe Water, Sanitation, Electricity and Home "
        f"Ownership, {ctx.p - variant}",
        "Kabupaten/Kota",
        ["Air Minum Layak", "Sanitasi Layak", "Listrik", "Milik Sendiri"],
        rows,
        [2, 2, 2, 2],
        unit="(persen)",
        source="BPS, Susenas Maret",
    )


def _t_consumption(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u in prov.units:
        food = ctx.rng.uniform(650, 820) * (1.15 if u == "Kota Bengkulu" else 1)
        nonfood = food * (
            ctx.rng.uniform(1.05, 1.3) if u == "Kota Bengkulu" else ctx.rng.uniform(0.7, 0.95)
        )
        rows.append(
            (
                u,
                [
                    food * 1000,
                    nonfood * 1000,
                    (food + nonfood) * 1000,
                    food / (food + nonfood) * 100,
                ],
            )
        )
    return _TableData(
        f"Rata-Rata Pengeluaran per Kapita Sebulan Menurut Kelompok Barang dan Kabupaten/Kota "
        f"di Provinsi Bengkulu, {ctx.p - variant}",
        f"Average Monthly per Capita Expenditure by Commodity Group and Regency/Municipality, "
        f"{ctx.p - variant}",
        "Kabupaten/Kota",
        ["Makanan (Rp)", "Bukan Makanan (Rp)", "Jumlah (Rp)", "Porsi Makanan (%)"],
        rows,
        [0, 0, 0, 2],
        source="BPS, Susenas Maret",
    )


TABLES: dict[str, Callable[[_Ctx, int], _TableData]] = {
    name.removeprefix("_t_"): fn
    for name, fn in dict(globals()).items()
    if name.startswith("_t_") and callable(fn)
}

_EN_WORDS = {
    "Kabupaten/Kota": "Regency/Municipality",
    "Kecamatan": "Subdistrict",
    "Bulan": "Month",
    "Tahun": "Year",
    "Jumlah": "Total",
    "Laki-laki": "Male",
    "Perempuan": "Female",
    "Kelompok Umur": "Age Group",
    "Periode": "Period",
    "Lapangan Usaha": "Industry",
    "Jenis Kegiatan": "Type of Activity",
    "Indikator": "Indicator",
    "Luas (km²)": "Area (km²)",
    "Persentase (%)": "Percentage (%)",
    "Desa/Kelurahan": "Villages",
    "Suhu (°C)": "Temperature (°C)",
    "Kelembapan (%)": "Humidity (%)",
    "Curah Hujan (mm)": "Rainfall (mm)",
    "Hari Hujan": "Rainy Days",
    "Penduduk (ribu)": "Population (thousand)",
    "Kepadatan (jiwa/km²)": "Density (per km²)",
    "Rasio Jenis Kelamin": "Sex Ratio",
    "Angkatan Kerja": "Labor Force",
    "Bekerja": "Employed",
    "TPAK (%)": "LFPR (%)",
    "TPT (%)": "Unemployment Rate (%)",
    "Perkotaan (ribu)": "Urban (thousand)",
    "Perdesaan (ribu)": "Rural (thousand)",
    "Jumlah (ribu)": "Total (thousand)",
    "Garis Kemiskinan (Rp/kap/bln)": "Poverty Line (Rp/cap/month)",
    "Penduduk Miskin (ribu)": "Poor People (thousand)",
    "Luas Panen (ha)": "Harvested Area (ha)",
    "Produktivitas (ku/ha)": "Productivity (qu/ha)",
    "Produksi (ton GKG)": "Production (ton)",
    "Produksi Padi (ton GKG)": "Paddy Production (ton)",
    "Produksi Beras (ton)": "Rice Production (ton)",
    "IHK": "CPI",
    "IHK Bulan Lalu": "CPI Last Month",
    "Inflasi m-to-m (%)": "Inflation m-to-m (%)",
    "Inflasi y-to-d (%)": "Inflation y-to-d (%)",
    "Inflasi y-on-y (%)": "Inflation y-on-y (%)",
    "Andil y-on-y (%)": "Contribution y-on-y (%)",
    "y-on-y Mukomuko (%)": "y-on-y Mukomuko (%)",
    "Kelompok Pengeluaran": "Expenditure Group",
    "Lapangan Pekerjaan Utama": "Main Industry",
    "Pendidikan Tertinggi": "Educational Attainment",
    "ADHB (miliar Rp)": "Current Prices (billion Rp)",
    "ADHK 2010 (miliar Rp)": "2010 Prices (billion Rp)",
    "Pertumbuhan (%)": "Growth (%)",
    "Per Kapita (juta Rp)": "Per Capita (million Rp)",
    "Provinsi Bengkulu": "Bengkulu Province",
    "Umum": "General",
    "PDRB": "GRDP",
    "Penduduk Usia Kerja": "Working-Age Population",
    "Bukan Angkatan Kerja": "Not in Labor Force",
    "Pengangguran": "Unemployed",
    "(ribu jiwa)": "(thousand people)",
    "(jiwa)": "(people)",
    "(orang)": "(persons)",
    "(persen)": "(percent)",
    "(miliar rupiah)": "(billion rupiah)",
    "(hektare)": "(hectares)",
    "(rupiah/kapita/bulan)": "(rupiah/capita/month)",
}


def _en(word: str) -> str:
    return _EN_WORDS.get(word, word)


# --- charts -----------------------------------------------------------------------------
#
# A chart shows columns of a table: (table, column indices, chart type, caption).

CHARTS: dict[str, tuple[str, tuple[int, ...], str, str]] = {
    "bar_area": ("geo_area", (0,), "bar", "Luas Wilayah Menurut {unit} (km²)"),
    "line_rain": ("climate", (2,), "line", "Curah Hujan Menurut Bulan (mm)"),
    "bar_villages": ("gov_villages", (0, 1), "bar", "Jumlah Desa dan Kelurahan Menurut {unit}"),
    "bar_pop": ("pop_region", (2,), "bar", "Jumlah Penduduk Menurut {unit} (ribu jiwa)"),
    "line_pop": ("pop_age_sex", (2,), "bar", "Jumlah Penduduk Menurut Kelompok Umur (jiwa)"),
    "pyramid": ("pop_age_sex", (0, 1), "pyramid", "Piramida Penduduk"),
    "bar_tpt": (
        "labor_region",
        (3,),
        "bar",
        "Tingkat Pengangguran Terbuka Menurut Kabupaten/Kota (%)",
    ),
    "line_tpt": ("unemp_edu", (0, 1, 2), "hbar", "TPT Menurut Pendidikan yang Ditamatkan (%)"),
    "bar_sector": (
        "labor_sector",
        (2,),
        "hbar",
        "Penduduk Bekerja Menurut Lapangan Pekerjaan Utama (%)",
    ),
    "bar_school": ("edu_school", (0, 1, 2), "bar", "Jumlah Sekolah Menurut {unit} dan Jenjang"),
    "line_aps": ("edu_participation", (0, 1, 2, 3, 4), "lineT", "Angka Partisipasi Sekolah (%)"),
    "bar_health": ("health_facilities", (1,), "bar", "Jumlah Puskesmas Menurut {unit}"),
    "line_morbidity": ("health_indicators", (0, 1, 2, 3, 4), "lineT", "Indikator Kesehatan (%)"),
    "line_poverty": ("poverty_series", (3,), "line", "Persentase Penduduk Miskin (%)"),
    "bar_poverty": (
        "poverty_region",
        (2,),
        "bar",
        "Persentase Penduduk Miskin Menurut Kabupaten/Kota (%)",
    ),
    "bar_padi": ("padi_region", (2,), "bar", "Produksi Padi Menurut {unit} (ton GKG)"),
    "line_padi": ("padi_monthly", (1, 2), "line", "Produksi Padi dan Beras Menurut Bulan (ton)"),
    "bar_sawit": ("estate_region", (0,), "bar", "Produksi Kelapa Sawit Menurut {unit} (ton)"),
    "bar_estate": ("estate_region", (1, 2), "bar", "Produksi Karet dan Kopi Menurut {unit} (ton)"),
    "line_tpk": ("tourism_monthly", (0,), "line", "Tingkat Penghunian Kamar Hotel Berbintang (%)"),
    "line_passengers": ("airport", (1, 2), "line", "Penumpang Pesawat Datang dan Berangkat"),
    "line_inflation": ("cpi_monthly", (3, 4), "line", "Inflasi Year on Year Menurut Bulan (%)"),
    "bar_cpi_group": (
        "cpi_groups",
        (4,),
        "hbar",
        "Andil Inflasi y-on-y Menurut Kelompok Pengeluaran (%)",
    ),
    "line_ntp": ("ntp_monthly", (2, 3), "line", "Nilai Tukar Petani dan NTUP Menurut Bulan"),
    "line_growth": (
        "pdrb_growth",
        (0, 6, 14),
        "lineT",
        "Laju Pertumbuhan PDRB Beberapa Lapangan Usaha (%)",
    ),
    "bar_structure": ("pdrb_share", (4,), "hbar", "Struktur PDRB Menurut Lapangan Usaha (%)"),
    "bar_exp": ("pdrb_exp", (4,), "hbar", "PDRB Menurut Komponen Pengeluaran (miliar rupiah)"),
    "line_ipm": ("ipm_series", (4,), "line", "Perkembangan Indeks Pembangunan Manusia"),
    "bar_ipm": ("ipm_region", (4,), "bar", "IPM Menurut Kabupaten/Kota"),
    "bar_housing": ("housing", (0, 1), "bar", "Akses Air Minum dan Sanitasi Layak (%)"),
    "bar_consumption": ("consumption", (0, 1), "bar", "Pengeluaran per Kapita Sebulan (Rp)"),
}

SERIES_COLOURS = (
    BPS_BLUE,
    BPS_ORANGE,
    BPS_GREEN,
    colors.HexColor("#29A3D9"),
    colors.HexColor("#8E44AD"),
)


def _chart(kind: str, data: _TableData, cols: Sequence[int], lang: str) -> Drawing:
    width, height = FRAME_W, 285
    drawing = Drawing(width, height)
    if kind == "lineT":  # rows become lines, columns the x axis
        labels = list(data.columns)
        series = [[float(v or 0.0) for v in data.rows[c][1]] for c in cols]
        names = [data.rows[c][0].strip() for c in cols]
        decimals = max(data.decimals)
        kind = "line"
    else:
        labels = [r[0].strip() for r in data.rows]
        series = [[float(r[1][c] or 0.0) for r in data.rows] for c in cols]
        names = [data.columns[c] for c in cols]
        decimals = max(data.decimals[c] for c in cols)

    def fmt(v: float) -> str:
        return _fmt(v, 0 if abs(v) >= 100 else min(decimals, 1), lang)

    legend_needed = len(series) > 1
    bottom = 70 if kind == "bar" else 40
    if kind == "line":
        chart: Any = HorizontalLineChart()
        chart.x, chart.y = 50, bottom
        chart.width, chart.height = width - 70, height - bottom - (35 if legend_needed else 15)
        chart.data = series
        chart.categoryAxis.categoryNames = [lbl[:12] for lbl in labels]
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
        chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = fmt
        low, high = min(min(s) for s in series), max(max(s) for s in series)
        pad = (high - low) * 0.15 or 1
        chart.valueAxis.valueMin = low - pad if low - pad < 0 or low > 50 else 0
        chart.valueAxis.valueMax = high + pad
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
        chart.joinedLines = True
        chart.categoryAxis.joinAxisMode = "bottom"
        for i in range(len(series)):
            chart.lines[i].strokeColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            chart.lines[i].strokeWidth = 2
            chart.lines[i].symbol = makeMarker("FilledCircle")
            chart.lines[i].symbol.size = 4
            chart.lines[i].symbol.fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.lineLabelFormat = fmt if len(series) == 1 and len(labels) <= 12 else None
        chart.lineLabels.fontSize = 6
        chart.lineLabels.dy = 6
    elif kind in ("hbar", "pyramid"):
        chart = HorizontalBarChart()
        chart.x, chart.y = 190, 30
        chart.width, chart.height = width - 220, height - (70 if legend_needed else 45)
        if kind == "pyramid":
            series = [[-v for v in series[0]], series[1]]
            chart.categoryAxis.categoryNames = labels
            chart.valueAxis.labelTextFormat = lambda v: _fmt(abs(v) / 1000, 0, lang)
            chart.groupSpacing = 1
            chart.x = 60
            chart.width = width - 90
            names = [f"{n} (ribu)" if lang == "id" else f"{_en(n)} (thousand)" for n in names]
            chart.categoryAxis.style = "stacked"
            chart.categoryAxis.joinAxisMode = "left"
        else:
            chart.categoryAxis.categoryNames = [lbl[:38] for lbl in labels]
            chart.valueAxis.labelTextFormat = fmt
            chart.barLabelFormat = fmt
            chart.barLabels.fontSize = 6
            chart.barLabels.boxAnchor = "w"
            chart.barLabels.dx = 3
        chart.data = series
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
        chart.categoryAxis.reverseDirection = kind != "pyramid"
        low = min(min(s) for s in series)
        chart.valueAxis.valueMin = min(0, low * 1.1)
        chart.valueAxis.valueMax = max(max(s) for s in series) * 1.15 or 1
        if kind == "pyramid":
            extent = max(abs(chart.valueAxis.valueMin), chart.valueAxis.valueMax)
            chart.valueAxis.valueMin, chart.valueAxis.valueMax = -extent, extent
        chart.bars.strokeColor = None
        for i in range(len(series)):
            chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
    else:
        chart = VerticalBarChart()
        chart.x, chart.y = 50, bottom
        chart.width, chart.height = width - 70, height - bottom - (35 if legend_needed else 15)
        chart.data = series
        chart.categoryAxis.categoryNames = [lbl[:22] for lbl in labels]
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.angle = 35
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dy = -2
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = fmt
        chart.valueAxis.valueMin = min(0, min(min(s) for s in series))
        chart.valueAxis.valueMax = max(max(s) for s in series) * 1.15 or 1
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
        chart.bars.strokeColor = None
        chart.groupSpacing = 6
        chart.categoryAxis.joinAxisMode = "bottom"
        for i in range(len(series)):
            chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        if len(series) == 1 and len(labels) <= 20:
            chart.barLabelFormat = fmt
            chart.barLabels.fontSize = 6
            chart.barLabels.nudge = 6
    _helvetica(chart)
    drawing.add(chart)
    if legend_needed:
        legend = Legend()
        legend.x, legend.y = 60, height - 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.fontSize = 7
        legend.fontName = "Helvetica"
        legend.boxAnchor = "nw"
        legend.deltax = 0
        legend.dxTextSpace = 4
        legend.dx = legend.dy = 7
        legend.colorNamePairs = [
            (SERIES_COLOURS[i % len(SERIES_COLOURS)], str(n)[:34]) for i, n in enumerate(names)
        ]
        legend.columnMaximum = 1
        legend.deltax = min(max(len(str(n)[:34]) for n in names) * 3.7 + 24, 170)
        drawing.add(legend)
    return drawing


def _helvetica(chart: Any) -> None:
    """Charts default to Times-Roman; the demo uses the built-in Helvetica throughout."""
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = "Helvetica"
    for attr in ("barLabels", "lineLabels"):
        if hasattr(chart, attr):
            getattr(chart, attr).fontName = "Helvetica"


def _describe(data: _TableData, what: str, lang: str) -> list[str]:
    """Sentences that read a table: what it shows, its highest and lowest values, total."""
    en = lang == "en"

    def tr(text: str) -> str:
        return _en(text) if en else text

    caption = data.caption_en if en else data.caption
    out = [f"{what} {'presents' if en else 'menyajikan'} {caption[0].lower()}{caption[1:]}."]
    time_like = data.stub in ("Bulan", "Tahun", "Periode")
    numeric = [c for c in range(len(data.columns)) if any(r[1][c] is not None for r in data.rows)]
    picks = [numeric[-1], numeric[0]] if len(numeric) > 1 else numeric
    for c in picks:
        values = [(tr(lbl.strip()), v) for lbl, vals in data.rows if (v := vals[c]) is not None]
        if len(values) < 3:
            continue
        hi = max(values, key=lambda x: x[1] or 0.0)
        lo = min(values, key=lambda x: x[1] or 0.0)
        hv, lv = _fmt(hi[1], data.decimals[c], lang), _fmt(lo[1], data.decimals[c], lang)
        header = tr(data.columns[c])
        if header[:1].isdigit() or header.startswith(("Agustus", "Maret")):
            period = header.rstrip("*")
            out.append(
                f"In {period}, the highest value is in {hi[0]} ({hv}) and the lowest in "
                f"{lo[0]} ({lv})."
                if en
                else f"Pada {period}, nilai tertinggi tercatat pada {hi[0]} sebesar {hv}, "
                f"sedangkan yang terendah pada {lo[0]} sebesar {lv}."
            )
            continue
        col = header.split(" (")[0]
        col = col if col[:2].isupper() else col[0].lower() + col[1:]
        if en:
            out.append(f"The highest {col} is in {hi[0]} ({hv}) and the lowest in {lo[0]} ({lv}).")
        elif time_like:
            out.append(
                f"Nilai {col} tertinggi terjadi pada {hi[0]} sebesar {hv}, sedangkan yang "
                f"terendah pada {lo[0]} sebesar {lv}."
            )
        else:
            out.append(
                f"Menurut {data.stub.lower()}, {col} tertinggi tercatat di {hi[0]} sebesar "
                f"{hv}, sedangkan yang terendah di {lo[0]} sebesar {lv}."
            )
    if data.total and numeric and data.total[1][numeric[0]] is not None:
        c = numeric[0]
        total_text = _fmt(data.total[1][c], data.decimals[c], lang)
        col = tr(data.columns[c]).split(" (")[0].rstrip("*")
        if col[:1].isdigit():
            col = f"the {col} value" if en else f"nilai tahun {col}"
        total = tr(data.total[0])
        out.append(
            f"Overall, {col[0].lower() + col[1:]} for {total} amounts to {total_text}."
            if en
            else f"Secara keseluruhan, {col if col[:2].isupper() else col.lower()} {total} "
            f"mencapai {total_text}."
        )
    return out


class _Deck:
    """Draws sentences without repeating one before the whole pool has been used."""

    def __init__(self, rng: random.Random, pool: Sequence[str]) -> None:
        self.rng, self.pool = rng, list(pool)
        self.cards: list[str] = []

    def draw(self) -> str:
        if not self.cards:
            self.cards = list(self.pool)
            self.rng.shuffle(self.cards)
        return self.cards.pop()


# --- flowables --------------------------------------------------------------------------


class _Marker(Flowable):  # type: ignore[misc]
    """Zero-size flowable carrying outline entries; the doc template bookmarks them."""

    def __init__(self, entries: list[tuple[str, str, int]]) -> None:
        super().__init__()
        self.outline_entries = entries
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        return None


class _ChapterBanner(Flowable):  # type: ignore[misc]
    """A coloured block with the chapter number and title, as BPS books open chapters."""

    def __init__(self, number: int, title: str, label: str, colour: Any, accent: Any) -> None:
        super().__init__()
        self.number, self.title, self.label = number, title, label
        self.colour, self.accent = colour, accent
        self.width, self.height = FRAME_W, 300

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(self.colour)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFillAlpha(0.12)
        for i in range(9):
            h = 40 + (i * 37) % 150
            c.rect(self.width - 230 + i * 24, 0, 16, h, stroke=0, fill=1)
        c.circle(self.width - 40, self.height - 30, 90, stroke=0, fill=1)
        c.setFillAlpha(1)
        c.setFillColor(self.accent)
        c.rect(0, self.height - 8, self.width, 8, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("Helvetica-Bold", 16)
        c.drawString(28, self.height - 60, f"{self.label} {self.number}")
        c.setFont("Helvetica-Bold", 90)
        c.setFillAlpha(0.25)
        c.drawRightString(self.width - 24, 40, f"{self.number:02d}")
        c.setFillAlpha(1)
        c.setFont("Helvetica-Bold", 28)
        y = self.height - 110
        for line in simpleSplit(self.title.upper(), "Helvetica-Bold", 28, self.width - 80):
            c.drawString(28, y, line)
            y -= 34
        c.restoreState()


# --- styles -----------------------------------------------------------------------------


def _styles(colour: Any) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName="Helvetica",
        fontSize=10,
        leading=14.5,
        alignment=TA_JUSTIFY,
        spaceAfter=7,
        firstLineIndent=18,
    )
    return {
        "body": body,
        "h1": ParagraphStyle(
            "h1",
            fontName="Helvetica-Bold",
            fontSize=17,
            leading=22,
            textColor=colour,
            spaceAfter=12,
            alignment=TA_CENTER,
        ),
        "h2": ParagraphStyle(
            "h2",
            fontName="Helvetica-Bold",
            fontSize=12.5,
            leading=16,
            textColor=colour,
            spaceBefore=4,
            spaceAfter=8,
        ),
        "caption": ParagraphStyle(
            "caption",
            fontName="Helvetica-Bold",
            fontSize=9.5,
            leading=12.5,
            alignment=TA_CENTER,
            spaceAfter=1,
        ),
        "caption_en": ParagraphStyle(
            "caption_en",
            fontName="Helvetica-Oblique",
            fontSize=8.5,
            leading=11,
            alignment=TA_CENTER,
            textColor=GREY,
            spaceAfter=4,
        ),
        "unit": ParagraphStyle(
            "unit",
            fontName="Helvetica-Oblique",
            fontSize=7.5,
            leading=9,
            alignment=TA_RIGHT,
            textColor=GREY,
        ),
        "source": ParagraphStyle(
            "source",
            fontName="Helvetica-Oblique",
            fontSize=7.5,
            leading=9.5,
            textColor=GREY,
            spaceBefore=4,
            spaceAfter=10,
        ),
        "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=7.8, leading=9.4),
        "cellh": ParagraphStyle(
            "cellh",
            fontName="Helvetica-Bold",
            fontSize=7.6,
            leading=9.2,
            alignment=TA_CENTER,
            textColor=colors.white,
        ),
        "box": ParagraphStyle(
            "box",
            fontName="Helvetica",
            fontSize=9.5,
            leading=13.5,
            alignment=TA_LEFT,
            leftIndent=10,
            bulletIndent=0,
        ),
        "small": ParagraphStyle("small", fontName="Helvetica", fontSize=9, leading=13),
        "toc": ParagraphStyle("toc", fontName="Helvetica", fontSize=10, leading=13),
        "tocb": ParagraphStyle("tocb", fontName="Helvetica-Bold", fontSize=10, leading=13),
    }


# --- rendering --------------------------------------------------------------------------

_LABELS = {
    "id": {
        "table": "Tabel",
        "figure": "Gambar",
        "source": "Sumber",
        "chapter": "BAB",
        "foreword": "KATA PENGANTAR",
        "contents": "DAFTAR ISI",
        "notes": "PENJELASAN TEKNIS",
        "page": "Halaman",
        "highlights": "Ringkasan",
        "symbols": "Diagram Simbol",
    },
    "en": {
        "table": "Table",
        "figure": "Figure",
        "source": "Source",
        "chapter": "CHAPTER",
        "foreword": "FOREWORD",
        "contents": "CONTENTS",
        "notes": "TECHNICAL NOTES",
        "page": "Page",
        "highlights": "Highlights",
        "symbols": "Symbols",
    },
}


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """Doc template that turns ``_Marker`` entries into bookmarks and outline entries."""

    def afterFlowable(self, flowable: Flowable) -> None:
        for title, key, level in getattr(flowable, "outline_entries", ()):
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


class _Renderer:
    """Renders one planned publication."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.meta = plan["meta"]
        self.lang = self.meta["language"]
        self.labels = _LABELS[self.lang]
        seed = plan["seed"]
        self.area = _area(plan["area"], seed)
        self.province = _area(None, seed) if plan["area"] is not None else self.area
        self.facts = _facts(seed, self.area, plan["year"], plan["month"], self.lang)
        self.facts["seed"] = seed
        self.facts["month"] = dc.MONTHS[max(plan["month"], 1) - 1]
        crc = zlib.crc32(plan["series"].encode())
        main, accent = PALETTE[crc % len(PALETTE)]
        if plan["book"] == "dalam_angka":
            main, accent = PALETTE[0]
        if plan["book"] == "brs":
            main, accent = "#0B4F8C", "#F39200"
        self.colour = colors.HexColor(main)
        self.accent = colors.HexColor(accent)
        self.styles = _styles(self.colour)
        self.key = plan["key"]

    # -- text --

    def sentences(self, topic: str) -> list[str]:
        data = dc.TOPICS[topic]
        if self.lang == "en":
            return list(data.get("sentences_en") or data["sentences"])
        return list(data["sentences"])

    def say(self, template: str) -> str:
        try:
            text = template.format(**self.facts)
        except (KeyError, IndexError):
            text = template
        return text.replace("&", "&amp;").replace("<", "&lt;")

    def decks(self, rng: random.Random, topic: str) -> tuple[_Deck, _Deck]:
        generic = dc.GENERIC_SENTENCES_EN if self.lang == "en" else dc.GENERIC_SENTENCES
        return _Deck(rng, self.sentences(topic)), _Deck(rng, generic)

    def paragraph(
        self,
        rng: random.Random,
        decks: tuple[_Deck, _Deck],
        n: int | None = None,
        lead: Sequence[str] = (),
    ) -> Paragraph:
        topic, generic = decks
        n = n or rng.randint(3, 5)
        picked = [topic.draw() for _ in range(n)]
        if rng.random() < 0.4:
            picked.append(generic.draw())
        text = " ".join([*lead, *(self.say(s) for s in picked)])
        return Paragraph(text, self.styles["body"])

    # -- pages --

    def page_rng(self, page: dict[str, Any]) -> random.Random:
        return _rng(self.plan["seed"], self.key, page["page"])

    def ctx(self, rng: random.Random) -> _Ctx:
        return _Ctx(
            self.area,
            self.province,
            self.plan["year"],
            self.plan["month"],
            self.facts,
            rng,
            self.lang,
        )

    def table_block(
        self, page: dict[str, Any], rng: random.Random
    ) -> tuple[list[Flowable], list[str]]:
        data = TABLES[page["table"]](self.ctx(rng), page["variant"])
        s = self.styles
        caption, other = (data.caption, data.caption_en)
        if self.lang == "en":
            caption, other = data.caption_en, ""
        out: list[Flowable] = [
            Paragraph(f"{self.labels['table']} {page['number']} {self.say(caption)}", s["caption"])
        ]
        if other and self.plan["book"] == "dalam_angka":
            out.append(Paragraph(f"Table {page['number']} {self.say(other)}", s["caption_en"]))
        else:
            out.append(Spacer(1, 4))
        if data.unit:
            out.append(Paragraph(_en(data.unit) if self.lang == "en" else data.unit, s["unit"]))
        out.append(self.table(data))
        out.append(Paragraph(f"{self.labels['source']}: {data.source}", s["source"]))
        what = f"{self.labels['table']} {page['number']}"
        return out, [self.say(x) for x in _describe(data, what, self.lang)]

    def table(self, data: _TableData) -> Table:
        s = self.styles
        header = [Paragraph(_en(data.stub) if self.lang == "en" else data.stub, s["cellh"])]
        header += [Paragraph(_en(c) if self.lang == "en" else c, s["cellh"]) for c in data.columns]
        number_row = [Paragraph(f"({i + 1})", s["cellh"]) for i in range(len(data.columns) + 1)]
        rows: list[list[Any]] = [header, number_row]
        body_rows = list(data.rows)
        if data.total:
            body_rows.append(data.total)
        for label, values in body_rows:
            shown = _en(label.strip()) if self.lang == "en" else label.strip()
            rows.append(
                [Paragraph(shown, s["cell"])]
                + [_fmt(v, d, self.lang) for v, d in zip(values, data.decimals, strict=False)]
            )
        stub_w = 150 if len(data.columns) >= 4 else 180
        other_w = (FRAME_W - stub_w) / max(len(data.columns), 1)
        table = Table(rows, colWidths=[stub_w] + [other_w] * len(data.columns), repeatRows=2)
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), self.colour),
            (
                "BACKGROUND",
                (0, 1),
                (-1, 1),
                self.colour.clone(alpha=0.82),
            ),
            ("FONT", (0, 2), (-1, -1), "Helvetica", 7.8),
            ("ALIGN", (1, 2), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 1), (-1, 1), 0.8, self.colour),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, self.colour),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("ROWBACKGROUNDS", (0, 2), (-1, -1), [colors.white, LIGHT]),
        ]
        if data.total:
            style += [
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 7.8),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#D6E4F2")),
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, self.colour),
            ]
        table.setStyle(TableStyle(style))
        return table

    def chart_block(
        self, page: dict[str, Any], rng: random.Random
    ) -> tuple[list[Flowable], list[str]]:
        table_kind, cols, kind, caption = CHARTS[page["chart"]]
        data = TABLES[table_kind](self.ctx(rng), page["variant"])
        s = self.styles
        unit = self.area.unit_label
        year = (
            data.caption.rsplit(", ", 1)[-1] if ", " in data.caption else str(self.plan["year"] - 1)
        )
        if len(cols) == 1 and kind != "lineT" and data.columns[cols[0]][:4].isdigit():
            year = data.columns[cols[0]].rstrip("*")
        caption = caption.format(unit=unit)
        note = ""
        if caption.endswith(")"):
            caption, note = caption[: caption.rindex("(")].strip(), caption[caption.rindex("(") :]
        text = data.caption_en if self.lang == "en" else f"{caption} di {self.area.name}, {year}"
        flow: list[Flowable] = [
            Paragraph(f"{self.labels['figure']} {page['number']} {self.say(text)}", s["caption"]),
            Spacer(1, 6),
            Paragraph(note, s["unit"]),
            _chart(kind, data, cols, self.lang),
            Paragraph(f"{self.labels['source']}: {data.source}", s["source"]),
        ]
        what = f"{self.labels['figure']} {page['number']}"
        described = _describe(data, what, self.lang)
        if self.lang == "id":
            described[0] = described[0].replace(" menyajikan ", " memperlihatkan data ")
        return flow, [self.say(x) for x in described]

    def highlight(self, decks: tuple[_Deck, _Deck]) -> Table:
        items = [decks[0].draw() for _ in range(3)]
        cells = [[Paragraph(self.say(x), self.styles["box"], bulletText="•")] for x in items]
        box = Table(cells, colWidths=[FRAME_W - 40])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, self.accent),
                    ("LEFTPADDING", (0, 0), (-1, -1), 12),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return box

    def page(self, page: dict[str, Any]) -> tuple[list[tuple[str, str, int]], list[Flowable]]:
        """Outline entries and flowables of one planned page."""
        kind = page["type"]
        rng = self.page_rng(page)
        s = self.styles
        labels = self.labels
        key = f"p{page['page']}"
        if kind == "cover" or kind == "back_cover":
            return [], [Spacer(1, 1)]
        if kind == "colophon":
            return [], self.colophon()
        if kind == "foreword":
            return [(labels["foreword"].title(), key, 0)], self.foreword()
        if kind == "toc":
            return [(labels["contents"].title(), key, 0)], self.toc()
        if kind == "notes":
            return [(labels["notes"].title(), key, 0)], self.notes()
        if kind == "brs_front":
            return [(self.meta["title"], key, 0)], self.brs_front(rng)
        if kind == "brs_back":
            return [(labels["notes"].title(), key, 0)], self.brs_back()
        topic = page["topic"]
        decks = self.decks(rng, topic)
        if kind == "chapter":
            title = f"{labels['chapter'].title()} {page['chapter']} {page['title']}"
            flow: list[Flowable] = [
                _ChapterBanner(
                    page["chapter"], page["title"], labels["chapter"], self.colour, self.accent
                ),
                Spacer(1, 18),
            ]
            flow += [self.paragraph(rng, decks) for _ in range(3)]
            return [(title, key, 0)], flow
        if kind == "text":
            flow = [Paragraph(self.say(page["section"]), s["h2"])]
            n = page["paragraphs"]
            for i in range(n):
                flow.append(self.paragraph(rng, decks))
                if i == 1:
                    flow.append(self.highlight(decks))
                    flow.append(Spacer(1, 8))
            level = 0 if self.plan["book"] == "brs" else 1
            return [(page["section"], key, level)], flow
        if kind == "table":
            flow, reading = self.table_block(page, rng)
            flow.append(self.paragraph(rng, decks, 2, lead=reading))
            flow.append(self.paragraph(rng, decks, 3))
            return [], flow
        if kind == "chart":
            flow, reading = self.chart_block(page, rng)
            flow.append(Spacer(1, 6))
            flow += [self.paragraph(rng, decks, 2, lead=reading), self.paragraph(rng, decks, 3)]
            return [], flow
        raise ValueError(f"unknown page type {kind!r}")

    def colophon(self) -> list[Flowable]:
        m = self.meta
        s = self.styles
        fields = [
            ("ISSN", m["issn"] or "-"),
            ("Nomor Katalog" if self.lang == "id" else "Catalogue Number", m["kat_no"]),
            ("Nomor Publikasi" if self.lang == "id" else "Publication Number", m["pub_no"]),
            ("Ukuran Buku" if self.lang == "id" else "Book Size", "21,0 cm x 29,7 cm"),
            (
                "Jumlah Halaman" if self.lang == "id" else "Number of Pages",
                f"{self.plan['page_count']} halaman",
            ),
            (
                "Naskah" if self.lang == "id" else "Manuscript",
                "Badan Pusat Statistik Provinsi Bengkulu",
            ),
            (
                "Penyunting" if self.lang == "id" else "Editor",
                "Badan Pusat Statistik Provinsi Bengkulu",
            ),
            (
                "Desain Kover" if self.lang == "id" else "Cover Design",
                "Badan Pusat Statistik Provinsi Bengkulu",
            ),
            (
                "Diterbitkan oleh" if self.lang == "id" else "Published by",
                "©Badan Pusat Statistik Provinsi Bengkulu",
            ),
        ]
        rows = [
            [Paragraph(f"<b>{a}</b>", s["small"]), Paragraph(f": {self.say(b)}", s["small"])]
            for a, b in fields
        ]
        info = Table(rows, colWidths=[140, FRAME_W - 140])
        info.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
            )
        )
        notice = (
            "Dilarang mengumumkan, mendistribusikan, mengomunikasikan, dan/atau menggandakan "
            "sebagian atau seluruh isi buku ini untuk tujuan komersial tanpa izin tertulis dari "
            "Badan Pusat Statistik."
        )
        return [
            Spacer(1, 60),
            Paragraph(self.say(m["title"]), s["h1"]),
            Paragraph(self.say(m["subtitle"] or m["title_en"]), s["caption_en"]),
            Spacer(1, 40),
            info,
            Spacer(1, 30),
            Paragraph(
                f"Dicetak oleh: Badan Pusat Statistik Provinsi Bengkulu, {m['rl_date'][:4]}",
                s["small"],
            ),
            Spacer(1, 200),
            Paragraph(
                notice,
                ParagraphStyle(
                    "n", parent=s["small"], fontName="Helvetica-Oblique", textColor=GREY
                ),
            ),
        ]

    def foreword(self) -> list[Flowable]:
        s = self.styles
        m = self.meta
        chapters = [p["title"] for p in self.plan["pages"] if p["type"] == "chapter"]
        topics = ", ".join(t.lower() for t in chapters[:6]) or m["subjects"][0].lower()
        fill = {"title": m["title"], "topics": topics, "area": self.facts["area"]}
        lines = dc.FOREWORD_EN if self.lang == "en" else dc.FOREWORD
        paras = [
            " ".join(x.format(**fill) for x in lines[:3]),
            " ".join(x.format(**fill) for x in lines[3:]),
        ]
        release = dt.date.fromisoformat(m["rl_date"])
        month = (dc.MONTHS if self.lang == "id" else dc.MONTHS_EN)[release.month - 1]
        sign = ParagraphStyle("sign", parent=s["small"], leftIndent=FRAME_W * 0.55)
        head = (
            "Kepala Badan Pusat Statistik<br/>Provinsi Bengkulu"
            if self.lang == "id"
            else "Chief Statistician of<br/>Bengkulu Province"
        )
        return [
            Paragraph(self.labels["foreword"], s["h1"]),
            Spacer(1, 10),
            *[Paragraph(self.say(p), s["body"]) for p in paras],
            Spacer(1, 24),
            Paragraph(f"Bengkulu, {release.day} {month} {release.year}", sign),
            Paragraph(head, sign),
            Spacer(1, 50),
            Paragraph("ttd.", sign),
        ]

    def toc(self) -> list[Flowable]:
        s = self.styles
        rows: list[list[Any]] = []
        for p in self.plan["pages"]:
            if p["type"] == "foreword":
                rows.append([Paragraph(self.labels["foreword"].title(), s["tocb"]), str(p["page"])])
            elif p["type"] == "chapter":
                rows.append(
                    [
                        Paragraph(
                            f"{self.labels['chapter']} {p['chapter']}  "
                            f"{self.say(p['title']).upper()}",
                            s["tocb"],
                        ),
                        str(p["page"]),
                    ]
                )
            elif p["type"] == "text":
                rows.append(
                    [Paragraph("&nbsp;" * 8 + self.say(p["section"]), s["toc"]), str(p["page"])]
                )
            elif p["type"] == "notes":
                rows.append([Paragraph(self.labels["notes"].title(), s["tocb"]), str(p["page"])])
        table = Table(rows, colWidths=[FRAME_W - 50, 50])
        table.setStyle(
            TableStyle(
                [
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("FONT", (1, 0), (1, -1), "Helvetica", 10),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ]
            )
        )
        return [
            Paragraph(self.labels["contents"], s["h1"]),
            Paragraph(self.labels["page"], self.styles["unit"]),
            table,
        ]

    def notes(self) -> list[Flowable]:
        s = self.styles
        flow: list[Flowable] = [Paragraph(self.labels["notes"], s["h1"]), Spacer(1, 6)]
        for term, text in dc.TECHNICAL_NOTES:
            flow.append(Paragraph(f"<b>{term}</b>: {text}", s["body"]))
        flow.append(Spacer(1, 12))
        flow.append(Paragraph(self.labels["symbols"], s["h2"]))
        sym = Table([[a, b] for a, b in dc.SYMBOLS], colWidths=[50, FRAME_W - 50])
        sym.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        flow.append(sym)
        return flow

    def brs_front(self, rng: random.Random) -> list[Flowable]:
        s = self.styles
        chapters = [p for p in self.plan["pages"] if p.get("topic")]
        topic = chapters[0]["topic"] if chapters else "harga"
        decks = self.decks(rng, topic)
        highlights = dc.BRS_HIGHLIGHT_KEYS.get(topic, ())
        cells = [[Paragraph(self.say(h), s["box"], bulletText="•")] for h in highlights]
        box = Table(cells or [[""]], colWidths=[FRAME_W - 20])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                    ("BOX", (0, 0), (-1, -1), 1, self.colour),
                    ("LEFTPADDING", (0, 0), (-1, -1), 12),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        title_style = ParagraphStyle(
            "brs_title", parent=s["h1"], fontSize=16, leading=20, textColor=colors.black
        )
        return [
            Paragraph(self.say(self.meta["title"]).upper(), title_style),
            Spacer(1, 6),
            box,
            Spacer(1, 14),
            *[self.paragraph(rng, decks, 4) for _ in range(3)],
        ]

    def brs_back(self) -> list[Flowable]:
        s = self.styles
        flow: list[Flowable] = [Paragraph(self.labels["notes"], s["h2"])]
        for term, text in dc.TECHNICAL_NOTES[:5]:
            flow.append(Paragraph(f"<b>{term}</b>: {text}", s["body"]))
        flow += [
            Spacer(1, 30),
            Paragraph("<b>Informasi lebih lanjut hubungi:</b>", s["small"]),
            Paragraph("Badan Pusat Statistik Provinsi Bengkulu", s["small"]),
            Paragraph(dc.ADDRESS, s["small"]),
            Paragraph(f"Website: {dc.WEBSITE} — Email: bps1700@bps.go.id", s["small"]),
        ]
        return flow

    # -- page decorations --

    def draw_cover(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        m = self.meta
        canv.saveState()
        w, h = PAGE_W, PAGE_H
        canv.setFillColor(colors.white)
        canv.rect(0, 0, w, h, stroke=0, fill=1)
        # top strip: catalogue numbers
        canv.setFillColor(GREY)
        canv.setFont("Helvetica", 8.5)
        canv.drawString(MARGIN_X, h - 40, f"Katalog: {m['kat_no']}")
        canv.drawString(MARGIN_X, h - 52, f"Nomor Publikasi: {m['pub_no']}")
        if m["issn"]:
            canv.drawString(MARGIN_X, h - 64, f"ISSN: {m['issn']}")
        canv.drawRightString(w - MARGIN_X, h - 40, dc.WEBSITE.removeprefix("https://"))
        # the band
        band_top, band_bottom = h * 0.80, h * 0.30
        canv.setFillColor(self.colour)
        canv.rect(0, band_bottom, w, band_top - band_bottom, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFillAlpha(0.10)
        bars = _rng(self.key, "cover")
        for i in range(14):
            bh = bars.uniform(40, 210)
            canv.rect(w * 0.45 + i * 22, band_bottom, 15, bh, stroke=0, fill=1)
        canv.circle(w * 0.92, band_top - 30, 120, stroke=0, fill=1)
        canv.circle(w * 0.05, band_bottom + 20, 70, stroke=0, fill=1)
        canv.setFillAlpha(1)
        canv.setFillColor(self.accent)
        canv.rect(0, band_top, w, 10, stroke=0, fill=1)
        canv.rect(0, band_bottom - 5, w * 0.62, 5, stroke=0, fill=1)
        # title
        canv.setFillColor(colors.white)
        size = 30 if len(m["title"]) < 45 else 25 if len(m["title"]) < 80 else 21
        lines = simpleSplit(m["title"], "Helvetica-Bold", size, w - 2 * MARGIN_X - 20)
        y = band_top - 70
        canv.setFont("Helvetica-Bold", size)
        for line in lines:
            canv.drawString(MARGIN_X + 6, y, line)
            y -= size * 1.18
        sub = m["subtitle"] or (m["title_en"] if m["title_en"] != m["title"] else "")
        if sub:
            canv.setFont("Helvetica-Oblique", 13)
            for line in simpleSplit(sub, "Helvetica-Oblique", 13, w - 2 * MARGIN_X - 20):
                y -= 4
                canv.drawString(MARGIN_X + 6, y, line)
                y -= 16
        canv.setFont("Helvetica-Bold", 64)
        canv.setFillColor(self.accent)
        canv.drawRightString(
            w - MARGIN_X,
            band_bottom + 24,
            str(self.plan["year"]) if self.plan["month"] == 0 else m["period"],
        )
        # publisher block
        _logo(canv, MARGIN_X, 70, 44)
        canv.setFillColor(self.colour)
        canv.setFont("Helvetica-Bold", 15)
        canv.drawString(MARGIN_X + 58, 98, dc.PUBLISHER if self.lang == "id" else dc.PUBLISHER_EN)
        canv.setFont("Helvetica", 9)
        canv.setFillColor(GREY)
        canv.drawString(MARGIN_X + 58, 82, dc.ADDRESS)
        canv.drawString(MARGIN_X + 58, 70, dc.WEBSITE)
        canv.restoreState()

    def draw_back(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFillColor(self.colour)
        canv.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, PAGE_H * 0.35, PAGE_W, 6, stroke=0, fill=1)
        _logo(canv, PAGE_W / 2 - 30, PAGE_H * 0.35 - 110, 60)
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica-Bold", 16)
        canv.drawCentredString(PAGE_W / 2, PAGE_H * 0.35 - 140, dc.PUBLISHER)
        canv.setFont("Helvetica", 10)
        canv.drawCentredString(PAGE_W / 2, PAGE_H * 0.35 - 160, dc.ADDRESS)
        canv.drawCentredString(
            PAGE_W / 2, PAGE_H * 0.35 - 174, f"Homepage: {dc.WEBSITE}   E-mail: bps1700@bps.go.id"
        )
        canv.setFont("Helvetica-Bold", 22)
        canv.drawCentredString(PAGE_W / 2, PAGE_H * 0.62, "DATA MENCERDASKAN BANGSA")
        canv.setFont("Helvetica", 10)
        canv.drawCentredString(
            PAGE_W / 2, PAGE_H * 0.62 - 22, "Statistik berkualitas untuk Indonesia maju"
        )
        canv.restoreState()

    def draw_body(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        page = doc.page
        short = _short(self.meta["title"])
        canv.setStrokeColor(self.colour)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, PAGE_H - MARGIN_TOP + 14, PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 14)
        canv.setFont("Helvetica-Oblique", 7.5)
        canv.setFillColor(GREY)
        canv.drawRightString(PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 18, short)
        canv.drawString(
            MARGIN_X, PAGE_H - MARGIN_TOP + 18, "Badan Pusat Statistik Provinsi Bengkulu"
        )
        # footer: page number in a box at the outer edge
        canv.line(MARGIN_X, MARGIN_BOTTOM - 14, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 14)
        x = PAGE_W - MARGIN_X - 26 if page % 2 else MARGIN_X
        canv.setFillColor(self.colour)
        canv.rect(x, MARGIN_BOTTOM - 36, 26, 16, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica-Bold", 8.5)
        canv.drawCentredString(x + 13, MARGIN_BOTTOM - 31, str(page))
        canv.setFillColor(GREY)
        canv.setFont("Helvetica", 7.5)
        other = MARGIN_X if page % 2 else PAGE_W - MARGIN_X
        text = _short(self.meta["title"])
        if page % 2:
            canv.drawString(other, MARGIN_BOTTOM - 30, text)
        else:
            canv.drawRightString(other, MARGIN_BOTTOM - 30, text)
        canv.restoreState()

    def draw_brs_front(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        top = PAGE_H - BRS_BAND
        canv.setFillColor(self.colour)
        canv.rect(0, top, PAGE_W, BRS_BAND, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, top - 5, PAGE_W, 5, stroke=0, fill=1)
        _logo(canv, MARGIN_X, top + 40, 42)
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica-Bold", 11)
        canv.drawString(MARGIN_X + 54, top + 74, "BADAN PUSAT STATISTIK PROVINSI BENGKULU")
        canv.setFont("Helvetica-Bold", 20)
        canv.drawString(MARGIN_X + 54, top + 50, "BERITA RESMI STATISTIK")
        release = dt.date.fromisoformat(self.meta["rl_date"])
        canv.setFont("Helvetica", 9.5)
        canv.drawString(
            MARGIN_X + 54,
            top + 34,
            f"No. {self.plan['brs_no']}, "
            f"{release.day} {dc.MONTHS[release.month - 1]} {release.year}",
        )
        canv.restoreState()
        self.draw_footer_only(canv, doc)

    def draw_footer_only(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setStrokeColor(self.colour)
        canv.line(MARGIN_X, MARGIN_BOTTOM - 14, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 14)
        canv.setFont("Helvetica", 7.5)
        canv.setFillColor(GREY)
        canv.drawString(
            MARGIN_X, MARGIN_BOTTOM - 30, f"Berita Resmi Statistik No. {self.plan['brs_no']}"
        )
        canv.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 30, str(doc.page))
        canv.restoreState()

    # -- assembly --

    def build(self, path: Path) -> None:
        body_frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_W,
            FRAME_H,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        brs_h = PAGE_H - BRS_BAND - 0.8 * cm - MARGIN_BOTTOM
        brs_frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_W,
            brs_h,
            id="brs",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        full = Frame(0, 0, PAGE_W, PAGE_H, id="full")
        body_on_page = self.draw_footer_only if self.plan["book"] == "brs" else self.draw_body
        templates = {
            "cover": PageTemplate("cover", [full], onPage=self.draw_cover),
            "back_cover": PageTemplate("back_cover", [full], onPage=self.draw_back),
            "brs_front": PageTemplate("brs_front", [brs_frame], onPage=self.draw_brs_front),
            "body": PageTemplate("body", [body_frame], onPage=body_on_page),
        }
        heights = {
            "cover": PAGE_H - 20,
            "back_cover": PAGE_H - 20,
            "brs_front": brs_h - 2,
            "body": FRAME_H - 2,
        }
        pages = self.plan["pages"]

        def template_of(page: dict[str, Any]) -> str:
            return page["type"] if page["type"] in ("cover", "back_cover", "brs_front") else "body"

        first = template_of(pages[0])
        ordered = [templates[first]] + [t for name, t in templates.items() if name != first]
        m = self.meta
        doc = _Doc(
            str(path),
            pagesize=A4,
            pageTemplates=ordered,
            title=m["title"],
            author=dc.PUBLISHER.title().replace("Badan Pusat Statistik", "Badan Pusat Statistik"),
            subject=", ".join(m["subjects"]),
            keywords=", ".join([*m["subjects"], "BPS", "Bengkulu", m["kat_no"]]),
            creator="PST demo (reportlab)",
            invariant=1,
            lang="id-ID" if self.lang == "id" else "en-US",
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
        )
        story: list[Flowable] = []
        for i, page in enumerate(pages):
            entries, content = self.page(page)
            if entries:
                story.append(_Marker(entries))
            name = template_of(page)
            story.append(
                KeepInFrame(
                    FRAME_W if name != "cover" else PAGE_W - 20,
                    heights[name],
                    content,
                    mode="shrink",
                )
            )
            if i + 1 < len(pages):
                story.append(NextPageTemplate(template_of(pages[i + 1])))
                story.append(PageBreak())
        doc.build(story)


def _short(title: str, limit: int = 72) -> str:
    """``title`` cut at a word boundary for running heads and footers."""
    if len(title) <= limit:
        return title
    return title[: title.rindex(" ", 0, limit)] + " …"


def _logo(canv: Canvas, x: float, y: float, size: float) -> None:
    """Three slanted tiles in BPS blue, green and orange — a stand-in for the BPS logo."""
    canv.saveState()
    tile = size * 0.42
    for dx, dy, colour in (
        (0, tile * 1.05, BPS_BLUE),
        (tile * 1.05, tile * 1.05, BPS_GREEN),
        (tile * 0.5, 0, BPS_ORANGE),
    ):
        canv.setFillColor(colour)
        path = canv.beginPath()
        px, py = x + dx, y + dy
        path.moveTo(px + tile * 0.25, py)
        path.lineTo(px + tile, py)
        path.lineTo(px + tile * 0.75, py + tile)
        path.lineTo(px, py + tile)
        path.close()
        canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


def generate_demo(out_dir: Path, *, count: int = 32, seed: int = 1700) -> list[DemoPublication]:
    """Render ``plan_demo(count, seed)`` into ``out_dir`` (created) as PDF files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = []
    for plan in plan_demo(count, seed):
        path = out_dir / plan["filename"]
        _Renderer(plan).build(path)
        result.append(DemoPublication(path=path, meta=dict(plan["meta"])))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m catalog.demo OUT_DIR [COUNT]``: write the demo PDFs."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m catalog.demo OUT_DIR [COUNT]", file=sys.stderr)
        return 2
    count = int(args[1]) if len(args) > 1 else 32
    for pub in generate_demo(Path(args[0]), count=count):
        print(pub.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
