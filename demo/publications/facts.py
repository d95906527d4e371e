"""Seeded statistics of an area: regions, populations, headline facts and inflation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demo.publications import content as dc
from demo.publications.fmt import _big, _fmt, _rng, _rupiah


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
