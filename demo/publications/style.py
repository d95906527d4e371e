"""Page geometry and colours shared by every demo page."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm

EDITION_YEAR = 2025
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
