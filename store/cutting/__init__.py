"""Cutting a product's data file down to what an order approved.

A plain library (no Flask, no database): it takes a file's name and bytes and a
:class:`Selection` (the approved variables and regions) and returns a :class:`Cut` holding
only that, or ``None`` when the file holds nothing of it. Every format is read and
written with its own library and the result is read back before it is returned, so a
writer that produced something unreadable or different is caught here, never shipped.

Formats (the product's ``formats`` values):

- microdata: ``csv`` (stdlib), ``sav`` (SPSS) and ``dta`` (Stata) through pyreadstat,
  keeping the labels and value labels of the kept variables, ``dbf`` through pyshp;
- maps: ``geojson`` (stdlib json), ``shp`` (a zip holding one .shp with its .shx, .dbf
  and .prj, through pyshp), ``gpkg`` (GeoPackage through pyogrio/GDAL, which writes
  fresh ``gpkg_contents`` extents and R-tree indexes for what is kept).

A record belongs to a region when its region code (the column or attribute named by
``Selection.region_field``) is that BPS code or lies inside it: ``1771`` and
``1771010001`` are in regency ``1771``; everything starting ``17`` is in province ``1700``.
:func:`inspect` is what product setup runs: it refuses (:class:`CutError`) a file that
could not be cut later.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from store.cutting.common import (
    Cut,
    CutError,
    FileSummary,
    Handler,
    Selection,
    belongs,
    region_code,
)

MICRODATA_FORMATS = ("csv", "sav", "dta", "dbf")
MAP_FORMATS = ("geojson", "shp", "gpkg")
FORMAT_LABELS = {
    "csv": "CSV",
    "sav": "SPSS (.sav)",
    "dta": "Stata (.dta)",
    "dbf": "dBASE (.dbf)",
    "geojson": "GeoJSON",
    "shp": "Shapefile (.zip)",
    "gpkg": "GeoPackage",
}
_EXTENSIONS = {
    ".csv": "csv",
    ".sav": "sav",
    ".dta": "dta",
    ".dbf": "dbf",
    ".geojson": "geojson",
    ".zip": "shp",
    ".gpkg": "gpkg",
}

__all__ = [
    "FORMAT_LABELS",
    "MAP_FORMATS",
    "MICRODATA_FORMATS",
    "Cut",
    "CutError",
    "FileSummary",
    "Selection",
    "belongs",
    "check_complete",
    "cut",
    "format_of",
    "inspect",
    "region_code",
]


def format_of(filename: str) -> str | None:
    """The format of a data file by its extension, or None when it is not supported."""
    return _EXTENSIONS.get(PurePosixPath(filename.lower()).suffix)


def _handler(filename: str) -> tuple[str, Handler]:
    fmt = format_of(filename)
    if fmt is None:
        raise CutError("unknown_format", name=filename)
    if fmt in MICRODATA_FORMATS:
        from store.cutting import tables

        return fmt, tables.HANDLERS[fmt]
    from store.cutting import maps

    return fmt, maps.HANDLERS[fmt]


def inspect(
    filename: str, data: bytes, *, region_field: str | None, offered: Sequence[str]
) -> FileSummary:
    """What a file holds: its variables (or attributes), regions and record count.

    Raises :class:`CutError` when the file could not be cut: unknown format, unreadable,
    no region column where the product offers several regions, records of no offered
    region."""
    _fmt, handler = _handler(filename)
    return handler.inspect(filename, data, region_field, tuple(offered))


def cut(filename: str, data: bytes, selection: Selection) -> Cut | None:
    """The file cut to the selection, read back and checked; None when nothing of the
    selection is in it (no approved variable, no record in an approved region)."""
    _fmt, handler = _handler(filename)
    result = handler.cut(filename, data, selection)
    if result is None:
        return None
    _check(result, selection)
    return result


def _check(result: Cut, selection: Selection) -> None:
    """The cutter's own account of its output is checked against the selection: a cutter
    that kept more than asked is a bug, and its output must not leave."""
    if selection.variables is not None and not set(result.variables) <= set(selection.variables):
        raise CutError("internal", name=result.filename)
    if not set(result.regions) <= set(selection.regions):
        raise CutError("internal", name=result.filename)


def check_complete(cuts: Sequence[Cut], selection: Selection) -> None:
    """Every approved region, and every approved variable, is in some cut file: a package
    missing any of them is not built."""
    present = {code for c in cuts for code in c.regions}
    missing = [code for code in selection.regions if code not in present]
    if missing:
        raise CutError("missing_regions", codes=", ".join(missing))
    if selection.variables is not None:
        kept = {name for c in cuts for name in c.variables}
        absent = [name for name in selection.variables if name not in kept]
        if absent:
            raise CutError("missing_variables", names=", ".join(absent))
