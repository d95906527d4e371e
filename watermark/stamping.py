"""Stamping: ``stamp_chunks`` (a stream for an HTTP response) and ``stamp_pdf`` (a file).

Which path is taken is decided before the first byte: the fast path when the plan
matches the master (or, with no plan, when ``analyse`` accepts it now); otherwise the
fallback, which first rewrites the master with pypdf. Both end in the same writer.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from . import stats
from .analyse import analyse
from .errors import StaleMasterError, UnreadablePdfError, Unsupported
from .fallback import normalise
from .files import Source, open_binary
from .mark import Mark
from .plan import Plan
from .writer import fast_output

__all__ = ["StampResult", "StampStream", "stamp_chunks", "stamp_pdf"]

PathTaken = Literal["fast", "fallback"]
_STALE = "the plan does not match the master"


@dataclass(frozen=True)
class StampResult:
    """What ``stamp_pdf`` did: the path taken (and why, for a fallback), the number of
    pages, and the size and SHA-256 of the output."""

    path: PathTaken
    reason: str | None
    pages: int
    bytes_written: int
    sha256: str


class StampStream:
    """A stamped copy in the making; iterate over it for the bytes.

    ``path``, ``reason``, ``pages`` and ``length`` (the exact output size) are known
    before the first byte. Use it in a ``with`` block, or iterate to the end: either
    releases the files it holds. A master changed under its plan while streaming
    makes the iteration raise ``StaleMasterError``. ``force_fallback`` (a reason)
    skips the fast path, as ``stamp_pdf`` does when it starts again after that.
    """

    def __init__(
        self,
        master: Source,
        mark: Mark,
        plan: Plan | None = None,
        *,
        master_sha256: str | None = None,
        force_fallback: str | None = None,
    ) -> None:
        self._files = ExitStack()
        try:
            fh = self._files.enter_context(open_binary(master))
            self.path, self.reason, plan, fh = self._choose(fh, plan, master_sha256, force_fallback)
            output = fast_output(fh, plan, mark)
        except BaseException:
            self._files.close()
            raise
        self.pages = len(plan.pages)
        self.length = output.length
        self._chunks = output.chunks
        stats.record(self.path, self.reason)

    def _choose(
        self, fh: IO[bytes], plan: Plan | None, sha256: str | None, forced: str | None
    ) -> tuple[PathTaken, str | None, Plan, IO[bytes]]:
        reason = forced
        if reason is None and plan is not None:
            fingerprint = plan.fingerprint
            if fingerprint.matches(fh) and sha256 in (None, fingerprint.sha256):
                return "fast", None, plan, fh
            reason = _STALE
        if reason is None:
            try:
                return "fast", None, analyse(fh), fh
            except Unsupported as exc:
                reason = str(exc)
        rewritten = self._files.enter_context(normalise(fh))
        try:
            return "fallback", reason, analyse(rewritten), rewritten
        except Unsupported as exc:
            raise UnreadablePdfError(f"cannot stamp this file ({reason}; then {exc})") from exc

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._chunks
        finally:
            self.close()

    def close(self) -> None:
        """Release the master (if opened here) and any temporary file."""
        self._files.close()

    def __enter__(self) -> StampStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def stamp_chunks(
    master: Source, mark: Mark, plan: Plan | None = None, *, master_sha256: str | None = None
) -> StampStream:
    """The stamped copy of ``master`` as a stream of byte chunks (see ``StampStream``).

    ``plan`` is the master's ``analyse`` result, stored at ingest; it is checked
    against the master (size, first and last 64 KiB, and ``master_sha256`` when the
    caller knows it) and a mismatch falls back.
    """
    return StampStream(master, mark, plan, master_sha256=master_sha256)


def _write(stream: StampStream, out: IO[bytes]) -> StampResult:
    digest, written = hashlib.sha256(), 0
    with stream:
        for chunk in stream:
            out.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    return StampResult(stream.path, stream.reason, stream.pages, written, digest.hexdigest())


def stamp_pdf(
    src: Source,
    dst: str | os.PathLike[str] | IO[bytes],
    mark: Mark,
    *,
    plan: Plan | None = None,
    master_sha256: str | None = None,
) -> StampResult:
    """Write the stamped copy of ``src`` to ``dst`` (a path, replaced atomically, or a
    binary file written from its current position).

    Every page gets the visible stamp and the file the forensic marks of ``mark``.
    Raises a ``WatermarkError`` (``NotAPdfError``, ``UnreadablePdfError``, ...) when
    ``src`` cannot be stamped; never writes a broken file.
    """
    with open_binary(src) as fh:
        if isinstance(dst, (str, os.PathLike)):
            target = Path(dst)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    result = _stamp_retrying(fh, out, mark, plan, master_sha256)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return result
        return _stamp_retrying(fh, dst, mark, plan, master_sha256)


def _stamp_retrying(
    fh: IO[bytes], out: IO[bytes], mark: Mark, plan: Plan | None, sha256: str | None
) -> StampResult:
    start = out.tell() if out.seekable() else None
    try:
        return _write(StampStream(fh, mark, plan, master_sha256=sha256), out)
    except StaleMasterError as exc:
        if start is None:
            raise
        out.seek(start)
        out.truncate()
        forced = f"{_STALE} ({exc})"
        return _write(StampStream(fh, mark, force_fallback=forced), out)
