"""The blank FS3 form (*formulir permohonan rekomendasi kegiatan statistik*) to print
and fill by hand, for a request made in person (SOP-1-04: "hardcopy or online").

It asks for exactly what the online form asks (:data:`advisory.models.FS3_FIELDS`,
labelled with :data:`advisory.labels.FS3_LABELS` in Indonesian), with ruled space sized
to each field, boxes for the choices, the office's letterhead, the requester's
signature and a box for the officer who receives it. The officer then records it
(``/staff/advisory/recommendations/on-behalf``) and attaches the scan. Drawn with the
letters' page, styles and letterhead (:mod:`advisory.letter_drawing`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import force_locale
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from advisory import letter_drawing as drawing
from advisory.labels import DESIGN_LABELS, FREQUENCY_LABELS, FS3_LABELS, RECURRENCE_LABELS
from advisory.models import FS3_FIELDS, FS3_REQUIRED
from advisory.settings import Settings

#: Ruled lines of writing space per field (the long texts get more).
LINES = {
    "organiser_address": 2,
    "objectives": 6,
    "collection_method": 3,
    "sampling_method": 3,
    "population": 2,
    "variables": 6,
    "region": 2,
}
#: The online form's sections (its fieldsets), in order.
SECTIONS = (
    ("A. Penyelenggara", FS3_FIELDS[:7]),
    ("B. Kegiatan", ("title", "topic", "objectives", "recurrence", "frequency", "design")),
    (
        "C. Metode",
        ("collection_method", "sampling_method", "population", "sample_size", "variables"),
    ),
    ("D. Wilayah dan jadwal", ("region", "period_start", "period_end")),
)
CHOICES: dict[str, Mapping[Any, Any]] = {
    "recurrence": RECURRENCE_LABELS,
    "design": DESIGN_LABELS,
    "frequency": FREQUENCY_LABELS,
}
FILENAME = "Formulir-FS3-Rekomendasi-Kegiatan-Statistik.pdf"


class _Lines(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """``n`` ruled lines to write on, in a light frame."""

    def __init__(self, n: int, pitch: float = 6.5 * mm) -> None:
        super().__init__()
        self.n, self.pitch = n, pitch

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.n * self.pitch + 1

    def draw(self) -> None:
        canv = self.canv
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setLineWidth(0.4)
        canv.rect(0, 0, self.width, self.n * self.pitch + 1)
        canv.setDash(1, 2)
        for i in range(1, self.n):
            canv.line(2 * mm, i * self.pitch, self.width - 2 * mm, i * self.pitch)
        canv.setDash()


def _choices(name: str, st: dict[str, Any]) -> Any:
    # Markup, not drawing.para: the non-breaking spaces keep the boxes apart.
    boxes = "&nbsp;&nbsp;&nbsp; ".join(f"☐&nbsp;{escape(str(t))}" for t in CHOICES[name].values())
    return Paragraph(boxes, st["body"])


def _field(name: str, st: dict[str, Any]) -> Flowable:
    if name in CHOICES:
        space: Flowable = _choices(name, st)
    elif name in ("period_start", "period_end"):
        space = drawing.para("Tanggal: ____ / ____ / ________ (tgl/bln/thn)", st["body"])
    elif name == "sample_size":
        space = drawing.para("__________________ unit", st["body"])
    else:
        space = _Lines(LINES.get(name, 1))
    mark = " *" if name in FS3_REQUIRED else ""
    hint = " (hanya untuk kegiatan berulang)" if name == "frequency" else ""
    label = drawing.para(f"{FS3_LABELS[name]}{mark}{hint}", st["cellb"])
    return KeepTogether([label, Spacer(1, 0.8 * mm), space, Spacer(1, 2 * mm)])


def blank_fs3_pdf(settings: Settings) -> bytes:
    """The printable blank FS3 form, in Indonesian, as PDF bytes."""
    with force_locale("id"):
        return _render(settings)


def _render(settings: Settings) -> bytes:
    office = settings.letter_office
    st = drawing.styles()
    buffer = io.BytesIO()
    title = "Formulir Permohonan Rekomendasi Kegiatan Statistik (FS3)"
    doc = drawing.document(buffer, title=title, subject=title, settings=settings)
    story: list[Flowable] = drawing.letterhead(st, settings)
    story += [
        drawing.para("FORMULIR PERMOHONAN REKOMENDASI KEGIATAN STATISTIK", st["title"]),
        drawing.para("(FS3)", st["center"]),
        Spacer(1, 3 * mm),
        drawing.para(
            "Diisi oleh instansi yang merencanakan kegiatan statistik sektoral atau khusus "
            f"dan diserahkan kepada Pelayanan Statistik Terpadu (PST) BPS {office}, "
            "bersama surat pengantar dari instansi. Tulis dengan huruf cetak yang jelas; "
            "kolom bertanda * wajib diisi. Formulir yang sama dapat diisi daring di "
            "laman layanan PST.",
            st["small"],
        ),
        Spacer(1, 4 * mm),
    ]
    for heading, names in SECTIONS:
        story.append(drawing.para(heading, st["sign"]))
        story.append(Spacer(1, 2 * mm))
        story += [_field(name, st) for name in names]
        story.append(Spacer(1, 2 * mm))
    sign = Table(
        [
            [
                drawing.para(
                    "Diisi oleh petugas PST\n\nNomor permohonan: ______________\n"
                    "Tanggal diterima: ____ / ____ / ________\n"
                    "Nama petugas: ______________________\n\nParaf: __________",
                    st["small"],
                ),
                [
                    drawing.para("............................, ....................", st["body"]),
                    drawing.para("Penanggung jawab kegiatan,", st["body"]),
                    Spacer(1, 12 * mm),
                    drawing.para(
                        "(....................................................)", st["body"]
                    ),
                    drawing.para("Nama jelas, tanda tangan dan cap instansi", st["small"]),
                ],
            ]
        ],
        colWidths=[70 * mm, 90 * mm],
    )
    sign.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (0, 0), 0.4, colors.HexColor("#999999")),
                ("LEFTPADDING", (1, 0), (1, 0), 10 * mm),
            ]
        )
    )
    story += [Spacer(1, 4 * mm), KeepTogether([sign])]
    doc.build(story)
    return buffer.getvalue()
