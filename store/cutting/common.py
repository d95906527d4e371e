"""The cutting library's shared pieces: the selection, the result, the error, and the rule
that says which region a record belongs to."""

from __future__ import annotations

import contextlib
import math
import numbers
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

#: Fixed member times make packages byte-for-byte reproducible.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
#: Largest uncompressed size of a zipped shapefile's members (a guard against zip bombs).
MAX_UNZIPPED = 2 * 1024**3


class CutError(Exception):
    """A file cannot be cut (at setup) or a package cannot be built (at fulfilment).

    ``code`` names the reason and ``params`` its details; the store turns them into a
    translated sentence. ``str()`` gives an English one for logs."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "unknown_format": "The format of {name} is not supported.",
        "unreadable": "{name} cannot be read as {format}: {detail}",
        "no_region_field": "{name} has no column or attribute {field} holding the region code.",
        "unknown_regions": "{name} has records of no region of this product: {codes}.",
        "duplicate_column": "{name} has the column {column} more than once.",
        "ragged": "Row {row} of {name} does not have as many values as its header.",
        "memo_field": "{name} has memo fields, which cannot be cut.",
        "shapefile_parts": "{name} must hold exactly one shapefile (.shp, .shx and .dbf).",
        "empty": "{name} holds no records.",
        "missing_regions": "No data file holds the regions {codes}.",
        "missing_variables": "No data file holds the variables {names}.",
        "internal": "{name} could not be cut exactly to the selection.",
        "build_failed": "The package of {name} could not be assembled ({detail}).",
    }

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = {key: "" if value is None else str(value) for key, value in params.items()}
        template = self.MESSAGES.get(code, code)
        try:
            text = template.format(**self.params)
        except (KeyError, IndexError):
            text = template
        super().__init__(text)


@dataclass(frozen=True)
class Selection:
    """What an order approved.

    ``regions``: the chosen BPS codes; ``offered``: every region the product offers (a
    record must belong to one of them); ``region_field``: the column or attribute with
    the region code (None: the file is one region, allowed only when one is offered);
    ``variables``: the approved variables of microdata, in the order to write them, or
    None for maps, whose attributes are part of the product."""

    regions: tuple[str, ...]
    offered: tuple[str, ...]
    region_field: str | None
    variables: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FileSummary:
    """What a data file holds, as read at setup."""

    fmt: str
    variables: tuple[str, ...]
    regions: tuple[str, ...]
    records: int


@dataclass(frozen=True)
class Cut:
    """A data file cut to a selection: its bytes and what they hold (read back)."""

    filename: str
    fmt: str
    data: bytes = field(repr=False)
    variables: tuple[str, ...]
    regions: tuple[str, ...]
    records: int


class Handler(NamedTuple):
    inspect: Callable[[str, bytes, str | None, tuple[str, ...]], FileSummary]
    cut: Callable[[str, bytes, Selection], Cut | None]


def region_code(value: Any) -> str | None:
    """A record's region value as a code string: ``1771``, ``1771.0`` and ``"1771"`` are
    all ``"1771"``; blank, missing and non-integral numbers are None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number) or not number.is_integer():
            return None
        return str(int(number))
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    text = str(value).strip()
    return text or None


def belongs(code: str, region: str) -> bool:
    """Whether a record's code lies in a region: a province (``1700``) holds every code
    that starts with its two digits, any other region the codes that start with it."""
    if len(region) == 4 and region.endswith("00"):
        return code.startswith(region[:2])
    return code.startswith(region)


class Regions:
    """Which offered region a value belongs to (memoised: columns repeat few codes)."""

    def __init__(self, offered: Sequence[str]) -> None:
        self.offered = tuple(offered)
        self._memo: dict[Any, str | None] = {}

    def of(self, value: Any) -> str | None:
        key = (type(value).__name__, value) if _hashable(value) else None
        if key is not None and key in self._memo:
            return self._memo[key]
        code = region_code(value)
        found = None
        if code is not None:
            found = next((r for r in self.offered if belongs(code, r)), None)
        if key is not None:
            self._memo[key] = found
        return found


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def assign_regions(
    name: str,
    values: Iterable[Any] | None,
    count: int,
    region_field: str | None,
    offered: Sequence[str],
    *,
    strict: bool,
) -> list[str | None]:
    """The offered region of every record. ``values`` is None when the file has no region
    field: allowed only for a product of one region. With ``strict`` (setup), a record of
    no offered region is refused; otherwise (cutting) it belongs to none and is left out.
    """
    if values is None:
        if len(offered) == 1 and region_field is None:
            return [offered[0]] * count
        raise CutError("no_region_field", name=name, field=region_field or "-")
    values = list(values)
    regions = Regions(offered)
    assigned = [regions.of(value) for value in values]
    if strict:
        stray = sorted(
            {region_code(v) or "-" for v, r in zip(values, assigned, strict=True) if r is None}
        )
        if stray:
            raise CutError("unknown_regions", name=name, codes=", ".join(stray[:10]))
    return assigned


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    """A private temporary folder, for the libraries that read and write paths."""
    with tempfile.TemporaryDirectory(prefix="pst-cut-") as tmp:
        os.chmod(tmp, 0o700)
        yield Path(tmp)


def write_member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def unique_names(name: str, columns: Sequence[str]) -> None:
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise CutError("duplicate_column", name=name, column=column)
        seen.add(column)
