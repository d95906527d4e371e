"""Reading the marks back: which downloads does a (leaked) file come from?

A stamped file carries its download code four times: in the trailer ``/ID``, in the
XMP metadata, in an invisible line of text and in the visible footer. Rewriting tools
keep different subsets: qpdf and pypdf keep all four, Ghostscript's pdfwrite drops
``/ID`` and the XMP but keeps the text. Only codes whose check symbol is right are
reported, and text matches must follow the stamp's own words, so a publication's
own code-like words are not mistaken for codes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import IO, Any

from .codes import normalise_code
from .drawing import TEXT_MARKER
from .errors import NotAPdfError, UnreadablePdfError
from .files import Source, open_binary

__all__ = ["find_codes", "scan_codes"]

# pdfium is not thread-safe and the application may identify files from a web worker.
_PDFIUM = threading.Lock()

_SYMBOL = "[0-9A-Za-z]"
_FIVE = f"{_SYMBOL}{{5}}"
_ID = re.compile(rf"{TEXT_MARKER}:({_SYMBOL}{{10}})".encode())
_XMP = re.compile(rf"DownloadCode\W{{1,3}}({_SYMBOL}{{10}})\W".encode())
# Text extraction may break or space the line anywhere; allow some blanks.
_TEXT = re.compile(rf"(?:{TEXT_MARKER}|Kode\s*unduhan)\s*:?\s*({_FIVE})\s*-?\s*({_FIVE})(?!\w)")


def _valid(found: Iterator[str]) -> list[str]:
    codes: list[str] = []
    for text in found:
        code = normalise_code(text)
        if code and code not in codes:
            codes.append(code)
    return codes


def _structure(fh: IO[bytes]) -> tuple[list[str], list[str]]:
    """Codes in the trailer /ID and in the XMP packet (pypdf; empty if unreadable)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(fh, strict=False)
        ids: Any = reader.trailer.get("/ID")
        raw = b"".join(
            item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
            for item in (ids.get_object() if ids is not None else [])
        )
        id_codes = _valid(m.group(1).decode() for m in _ID.finditer(raw))
        root: Any = reader.trailer["/Root"].get_object()
        metadata = root.get("/Metadata")
        xmp = metadata.get_object().get_data() if metadata is not None else b""
        xmp_codes = _valid(m.group(1).decode() for m in _XMP.finditer(xmp))
    except Exception:  # a leaked file may be damaged: the text may still speak
        return [], []
    return id_codes, xmp_codes


def _page_texts(fh: IO[bytes]) -> list[str]:
    """The text of every page, by pdfium (fast), else by pypdf."""
    import pypdfium2 as pdfium

    fh.seek(0)
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(fh, autoclose=False)
        except pdfium.PdfiumError:
            document = None
        if document is not None:
            try:
                return [_pdfium_text(document[index]) for index in range(len(document))]
            finally:
                document.close()
    return list(_pypdf_texts(fh))


def _pdfium_text(page: Any) -> str:
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def _pypdf_texts(fh: IO[bytes]) -> Iterator[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(fh, strict=False)
        pages = list(reader.pages)
    except Exception as exc:
        raise UnreadablePdfError(f"neither pdfium nor pypdf can read the file: {exc!r}") from exc
    for page in pages:
        try:
            text = page.extract_text()
        except Exception:  # one bad page does not hide the others' codes
            text = ""
        yield text


def scan_codes(src: Source) -> dict[str, list[str]]:
    """The valid download codes found in each channel: ``id``, ``xmp`` and ``text``."""
    with open_binary(src) as fh:
        fh.seek(0)
        if b"%PDF-" not in fh.read(1024):
            raise NotAPdfError("the file does not start with a %PDF header")
        id_codes, xmp_codes = _structure(fh)
        found: list[str] = []
        for text in _page_texts(fh):
            found.extend(a + b for a, b in _TEXT.findall(text))
        return {"id": id_codes, "xmp": xmp_codes, "text": _valid(iter(found))}


def find_codes(src: Source) -> list[str]:
    """Every download code ``src`` (a path or binary file) carries, most cited first."""
    channels = scan_codes(src)
    seen: dict[str, int] = {}
    for codes in channels.values():
        for code in codes:
            seen[code] = seen.get(code, 0) + 1
    return sorted(seen, key=lambda code: -seen[code])
