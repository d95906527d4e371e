"""The fallback: rewrite a master the fast path refused into one it accepts.

pypdf reads almost anything (xref streams, object streams, broken offsets, update
sections, encryption with an empty user password) and writes one plain revision with
a classic xref table: exactly what ``analyse`` accepts. The stamp is then applied by the
same code as on the fast path, so both paths draw the same stamp, and the output is a
full rewrite that keeps no earlier revision of any page. Slow (pypdf parses the whole
file, in memory), which is why it is counted.
"""

from __future__ import annotations

import tempfile
from typing import IO

from .errors import EncryptedPdfError, NotAPdfError, UnreadablePdfError, WatermarkError

__all__ = ["normalise"]

# A file whose last KiB has no %%EOF was cut short: pypdf would rebuild what is left,
# and a publication with pages or images missing must not be served as if whole.
_TAIL = 1024


def _check_ends(fh: IO[bytes]) -> None:
    size = fh.seek(0, 2)
    fh.seek(0)
    head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdfError("the file does not start with a %PDF header")
    fh.seek(max(0, size - _TAIL))
    if b"%%EOF" not in fh.read(_TAIL):
        raise UnreadablePdfError("the file has no %%EOF at its end: it was cut short")


def normalise(src: IO[bytes]) -> IO[bytes]:
    """A temporary file (deleted on close) with ``src`` rewritten by pypdf."""
    from pypdf import PdfReader, PdfWriter  # imported late: the fast path never needs it

    _check_ends(src)
    src.seek(0)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        try:
            reader = PdfReader(src, strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception as exc:  # e.g. an algorithm pypdf cannot run here
                    raise EncryptedPdfError(f"the file cannot be decrypted: {exc!r}") from exc
                if not opened:
                    raise EncryptedPdfError("the file needs a password")
            if len(reader.pages) == 0:
                raise UnreadablePdfError("the file has no pages")
            PdfWriter(clone_from=reader).write(out)
        except WatermarkError:
            raise
        except Exception as exc:  # pypdf raises many kinds on hostile files
            raise UnreadablePdfError(f"pypdf could not rewrite the file: {exc!r}") from exc
        out.flush()
        out.seek(0)
        return out
    except BaseException:
        out.close()
        raise
