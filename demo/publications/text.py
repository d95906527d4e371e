"""Sentence assembly: describing tables in words and dealing sentences without repeats."""

from __future__ import annotations

import random
from collections.abc import Sequence

from demo.publications.fmt import _fmt
from demo.publications.tables.base import _TableData
from demo.publications.words import _en


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
