"""Microdata: CSV, SPSS (.sav), Stata (.dta) and dBASE (.dbf) files cut to the approved
variables (in the approved order) and to the rows of the approved regions.

The region column is written only when it is itself an approved variable. SPSS and Stata
files keep, for the kept variables, their labels, value labels, display formats (and for
SPSS user-missing values, measure and width); nothing is kept of the other variables.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Sequence
from typing import Any

from store.cutting.common import (
    Cut,
    CutError,
    FileSummary,
    Handler,
    Selection,
    assign_regions,
    unique_names,
    workdir,
)

# --- the shared shape: a header and rows ------------------------------------------------


def _summary(
    fmt: str,
    name: str,
    columns: Sequence[str],
    values: Sequence[Any] | None,
    count: int,
    region_field: str | None,
    offered: tuple[str, ...],
) -> FileSummary:
    if count == 0:
        raise CutError("empty", name=name)
    assigned = assign_regions(name, values, count, region_field, offered, strict=True)
    return FileSummary(fmt, tuple(columns), tuple(sorted({r for r in assigned if r})), count)


def _plan(
    name: str, columns: Sequence[str], column_values: Any, count: int, selection: Selection
) -> tuple[list[str], list[bool], tuple[str, ...]] | None:
    """The columns to keep, a keep-mask over the rows and the regions kept; None when the
    file holds no approved variable or no row of an approved region."""
    wanted = selection.variables or ()
    keep = [name_ for name_ in wanted if name_ in columns]
    if not keep:
        return None
    field = selection.region_field
    values = column_values(field) if field is not None and field in columns else None
    assigned = assign_regions(name, values, count, field, selection.offered, strict=False)
    chosen = set(selection.regions)
    mask = [region in chosen for region in assigned]
    if not any(mask):
        return None
    regions = tuple(sorted({r for r, m in zip(assigned, mask, strict=True) if m and r is not None}))
    return keep, mask, regions


def _column(rows: Sequence[Sequence[Any]], index: int) -> list[Any]:
    return [row[index] for row in rows]


# --- CSV --------------------------------------------------------------------------------


def _read_csv(name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CutError("unreadable", name=name, format="CSV", detail="not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise CutError("empty", name=name)
        unique_names(name, header)
        rows = []
        for number, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(header):
                raise CutError("ragged", name=name, row=number)
            rows.append(row)
    except csv.Error as exc:
        raise CutError("unreadable", name=name, format="CSV", detail=exc) from None
    return header, rows


def inspect_csv(
    name: str, data: bytes, region_field: str | None, offered: tuple[str, ...]
) -> FileSummary:
    header, rows = _read_csv(name, data)
    values = _column(rows, header.index(region_field)) if region_field in header else None
    return _summary("csv", name, header, values, len(rows), region_field, offered)


def cut_csv(name: str, data: bytes, selection: Selection) -> Cut | None:
    header, rows = _read_csv(name, data)
    plan = _plan(name, header, lambda f: _column(rows, header.index(f)), len(rows), selection)
    if plan is None:
        return None
    keep, mask, regions = plan
    positions = [header.index(column) for column in keep]
    kept = [[row[i] for i in positions] for row, m in zip(rows, mask, strict=True) if m]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keep)
    writer.writerows(kept)
    result = out.getvalue().encode()
    check_header, check_rows = _read_csv(name, result)
    if check_header != keep or len(check_rows) != len(kept):
        raise CutError("internal", name=name)
    return Cut(name, "csv", result, tuple(keep), regions, len(kept))


# --- SPSS and Stata (pyreadstat) --------------------------------------------------------

_STAT_LABEL = {"sav": "SPSS", "dta": "Stata"}


def _read_stat(name: str, data: bytes, fmt: str) -> tuple[Any, Any]:
    import pyreadstat

    with workdir() as tmp:
        path = tmp / f"data.{fmt}"
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                if fmt == "sav":
                    # Dates stay numbers with their SPSS formats, written back as they were.
                    return pyreadstat.read_sav(
                        str(path), user_missing=True, disable_datetime_conversion=True
                    )
                return pyreadstat.read_dta(str(path), disable_datetime_conversion=True)
        except Exception as exc:  # any parser failure means "unreadable"
            raise CutError("unreadable", name=name, format=_STAT_LABEL[fmt], detail=exc) from None


def _inspect_stat(fmt: str):  # type: ignore[no-untyped-def]
    def inspect(
        name: str, data: bytes, region_field: str | None, offered: tuple[str, ...]
    ) -> FileSummary:
        frame, _meta = _read_stat(name, data, fmt)
        columns = [str(c) for c in frame.columns]
        unique_names(name, columns)
        values = frame[region_field].tolist() if region_field in columns else None
        return _summary(fmt, name, columns, values, len(frame), region_field, offered)

    return inspect


def _only(mapping: Any, keep: Sequence[str]) -> dict[str, Any]:
    return {key: value for key, value in (mapping or {}).items() if key in keep}


def _cut_stat(fmt: str):  # type: ignore[no-untyped-def]
    def cut(name: str, data: bytes, selection: Selection) -> Cut | None:
        import pyreadstat

        frame, meta = _read_stat(name, data, fmt)
        columns = [str(c) for c in frame.columns]
        plan = _plan(name, columns, lambda f: frame[f].tolist(), len(frame), selection)
        if plan is None:
            return None
        keep, mask, regions = plan
        kept = frame.loc[mask, keep].reset_index(drop=True)
        labels = {c: meta.column_names_to_labels.get(c) or None for c in keep}
        options: dict[str, Any] = {
            "file_label": meta.file_label or "",
            "column_labels": labels,
            "variable_value_labels": _only(meta.variable_value_labels, keep),
            "variable_format": _only(meta.original_variable_types, keep),
        }
        if fmt == "sav":
            options["missing_ranges"] = _only(meta.missing_ranges, keep)
            options["variable_measure"] = {
                k: v for k, v in _only(meta.variable_measure, keep).items() if v != "unknown"
            }
            options["variable_display_width"] = _only(meta.variable_display_width, keep)
        with workdir() as tmp:
            path = tmp / f"cut.{fmt}"
            try:
                writer = pyreadstat.write_sav if fmt == "sav" else pyreadstat.write_dta
                writer(kept, str(path), **options)
            except Exception as exc:  # a value the format cannot hold
                raise CutError(
                    "unreadable", name=name, format=_STAT_LABEL[fmt], detail=exc
                ) from None
            result = path.read_bytes()
        check, _check_meta = _read_stat(name, result, fmt)
        if [str(c) for c in check.columns] != keep or len(check) != len(kept):
            raise CutError("internal", name=name)
        return Cut(name, fmt, result, tuple(keep), regions, len(kept))

    return cut


# --- dBASE (pyshp's DBF reader and writer) ----------------------------------------------


def _read_dbf(
    name: str, data: bytes
) -> tuple[str, list[tuple[str, str, int, int]], list[list[Any]]]:
    import shapefile

    for encoding in ("utf-8", "cp1252"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a damaged header is not guessed around
                reader = shapefile.Reader(dbf=io.BytesIO(data), encoding=encoding)
                fields = [_field(f) for f in reader.fields[1:]]
                records = [list(record) for record in reader.iterRecords()]
                reader.close()
        except UnicodeDecodeError:
            continue
        except Exception as exc:  # any parser failure means "unreadable"
            raise CutError("unreadable", name=name, format="DBF", detail=exc) from None
        if any(ftype == "M" for _n, ftype, _s, _d in fields):
            raise CutError("memo_field", name=name)
        unique_names(name, [f[0] for f in fields])
        return encoding, fields, records
    raise CutError("unreadable", name=name, format="DBF", detail="unknown text encoding")


def _field(field: Any) -> tuple[str, str, int, int]:
    fname, ftype, size, decimal = list(field)
    return str(fname), str(getattr(ftype, "value", ftype)), int(size), int(decimal)


def inspect_dbf(
    name: str, data: bytes, region_field: str | None, offered: tuple[str, ...]
) -> FileSummary:
    _encoding, fields, records = _read_dbf(name, data)
    columns = [f[0] for f in fields]
    values = _column(records, columns.index(region_field)) if region_field in columns else None
    return _summary("dbf", name, columns, values, len(records), region_field, offered)


def cut_dbf(name: str, data: bytes, selection: Selection) -> Cut | None:
    import shapefile

    encoding, fields, records = _read_dbf(name, data)
    columns = [f[0] for f in fields]
    plan = _plan(
        name, columns, lambda f: _column(records, columns.index(f)), len(records), selection
    )
    if plan is None:
        return None
    keep, mask, regions = plan
    positions = [columns.index(column) for column in keep]
    out = io.BytesIO()
    writer = shapefile.Writer(dbf=out, encoding=encoding)
    for i in positions:
        writer.field(*fields[i])
    count = 0
    for record, m in zip(records, mask, strict=True):
        if m:
            writer.record(*[record[i] for i in positions])
            count += 1
    writer.close()
    result = out.getvalue()
    _enc, check_fields, check_records = _read_dbf(name, result)
    if [f[0] for f in check_fields] != keep or len(check_records) != count:
        raise CutError("internal", name=name)
    return Cut(name, "dbf", result, tuple(keep), regions, count)


HANDLERS = {
    "csv": Handler(inspect_csv, cut_csv),
    "sav": Handler(_inspect_stat("sav"), _cut_stat("sav")),
    "dta": Handler(_inspect_stat("dta"), _cut_stat("dta")),
    "dbf": Handler(inspect_dbf, cut_dbf),
}
