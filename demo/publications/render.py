"""``generate_demo``: renders each planned publication into one PDF."""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import (
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

from demo.publications import content as dc
from demo.publications.charts import CHARTS, _chart
from demo.publications.cover import _Drawing
from demo.publications.facts import _area, _facts
from demo.publications.flowables import _LABELS, _ChapterBanner, _Doc, _Marker, _styles
from demo.publications.fmt import _fmt, _rng
from demo.publications.front import _FrontMatter
from demo.publications.plan import DemoPublication, plan_demo
from demo.publications.style import (
    BRS_BAND,
    FRAME_H,
    FRAME_W,
    LIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    PALETTE,
)
from demo.publications.tables import TABLES
from demo.publications.tables.base import _Ctx, _TableData
from demo.publications.text import _Deck, _describe
from demo.publications.words import _en


class _Renderer(_FrontMatter, _Drawing):
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
