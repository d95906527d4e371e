"""PDF stamping: visible and forensic watermarks on downloaded publications.

A plain library (no Flask, no other project package). At ingest, ``analyse(master)``
makes a ``Plan`` (stored as JSON beside the master); at each download,
``stamp_chunks(master, mark, plan)`` streams a stamped copy without parsing the PDF, or
``stamp_pdf`` writes one. Masters the fast path cannot use go through a counted
fallback (``stats()``). ``find_codes`` reads the download codes back from a leaked file.
"""

from watermark.analyse import analyse
from watermark.codes import format_code, is_valid_code, new_code, normalise_code
from watermark.errors import (
    EncryptedPdfError,
    InvalidMarkError,
    NotAPdfError,
    PlanError,
    StaleMasterError,
    UnreadablePdfError,
    Unsupported,
    WatermarkError,
)
from watermark.forensic import find_codes, scan_codes
from watermark.mark import WIB, Mark
from watermark.plan import PagePlan, Plan
from watermark.stamping import StampResult, StampStream, stamp_chunks, stamp_pdf
from watermark.stats import StampStats, fallback_count, reset_stats, stats

__all__ = [
    "WIB",
    "EncryptedPdfError",
    "InvalidMarkError",
    "Mark",
    "NotAPdfError",
    "PagePlan",
    "Plan",
    "PlanError",
    "StaleMasterError",
    "StampResult",
    "StampStats",
    "StampStream",
    "UnreadablePdfError",
    "Unsupported",
    "WatermarkError",
    "analyse",
    "fallback_count",
    "find_codes",
    "format_code",
    "is_valid_code",
    "new_code",
    "normalise_code",
    "reset_stats",
    "scan_codes",
    "stamp_chunks",
    "stamp_pdf",
    "stats",
]
