"""Hostile-PDF sanitiser behind catalogue ingest.

``sanitise(src, work_dir)`` checks an uploaded file cheaply in the calling process
(size, magic bytes, hash), then parses and normalises it in a separate, resource-
limited worker process (``python -m catalog.ingest.worker``): active content is
stripped, a master PDF is written, text, outline and docinfo are read and page 1 is
rendered as a cover. It returns ``Sanitised`` or raises ``Rejected`` with a stable
code and a one-line reason.

A plain library: the standard library, pypdf, pypdfium2 and Pillow only — no Flask,
no other project package — so a script or a task worker can use it as well.
"""

from __future__ import annotations

from .errors import Rejected
from .images import check_image
from .model import Limits, OutlineItem, Sanitised
from .sanitiser import DEFAULT_LIMITS, sanitise

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "OutlineItem",
    "Rejected",
    "Sanitised",
    "check_image",
    "sanitise",
]
