"""Charts drawn from table data with reportlab graphics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from demo.publications.fmt import _fmt
from demo.publications.style import BPS_BLUE, BPS_GREEN, BPS_ORANGE, FRAME_W
from demo.publications.tables.base import _TableData
from demo.publications.words import _en

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
