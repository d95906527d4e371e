"""Front and back matter of a publication: colophon, foreword, contents, notes, BRS."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from demo.publications import content as dc
from demo.publications.style import FRAME_W, GREY, LIGHT

if TYPE_CHECKING:
    from demo.publications.text import _Deck


class _FrontMatter:
    """Front and back matter pages of ``_Renderer`` (a mixin).

    Uses the renderer's state below and its text methods ``say``, ``paragraph`` and ``decks``.
    """

    plan: dict[str, Any]
    meta: dict[str, Any]
    lang: str
    labels: dict[str, str]
    facts: dict[str, Any]
    colour: Any
    styles: dict[str, ParagraphStyle]

    if TYPE_CHECKING:
        # The renderer's text methods, declared for the type checker only.
        def say(self, template: str) -> str: ...

        def decks(self, rng: random.Random, topic: str) -> tuple[_Deck, _Deck]: ...

        def paragraph(
            self,
            rng: random.Random,
            decks: tuple[_Deck, _Deck],
            n: int | None = None,
            lead: Sequence[str] = (),
        ) -> Paragraph: ...

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
