"""Demo publications: realistic BPS Provinsi Bengkulu PDFs for a fresh catalogue.

``plan_demo`` decides, without rendering anything, which publications exist, their
metadata and what goes on every page; ``generate_demo`` renders the plan with reportlab
into A4 PDFs that look like the real thing — a cover, colophon, foreword, table of
contents, chapters of Indonesian text about their topic, tables per kabupaten/kota and
charts, technical notes and a back cover (BRS are short press releases instead). Every
page of the plan becomes exactly one PDF page, chapters carry PDF bookmarks and only the
built-in Helvetica is used, so text extraction works. Both are deterministic in ``seed``.

Only the standard library and reportlab are used: the demo can run before anything
else of the project is set up (``python -m demo.publications OUT_DIR``).
"""

from demo.publications.plan import DemoPublication, plan_demo
from demo.publications.render import generate_demo

__all__ = ["DemoPublication", "generate_demo", "plan_demo"]
