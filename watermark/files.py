"""Opening what callers hand in: a path, or a binary file the caller keeps open."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from .errors import WatermarkError

__all__ = ["Source", "open_binary"]

Source = str | os.PathLike[str] | IO[bytes]


@contextmanager
def open_binary(src: Source) -> Iterator[IO[bytes]]:
    """``src`` as a seekable binary file holding just the PDF.

    A path is opened here and closed on exit; a file object is left open, and one that
    cannot seek (a pipe, an upload stream) is first copied to a temporary file.
    """
    with ExitStack() as stack:
        fh: IO[bytes]
        if isinstance(src, (str, os.PathLike)):
            try:
                fh = stack.enter_context(Path(src).open("rb"))
            except OSError as exc:
                raise WatermarkError(f"cannot open {src}: {exc}") from exc
        elif src.seekable():
            fh = src
        else:
            fh = stack.enter_context(tempfile.TemporaryFile())
            shutil.copyfileobj(src, fh)
            fh.seek(0)
        yield fh
