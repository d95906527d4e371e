"""Wilkerstat maps: GeoJSON, zipped Shapefile and GeoPackage files cut to the features of
the approved regions. A feature's attributes are part of the map and are kept; the
features of other regions, and anything else the file carried (other zip members, styles,
metadata tables, a stale bounding box), are not.
"""

from __future__ import annotations

import codecs
import io
import json
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from store.cutting.common import (
    MAX_UNZIPPED,
    Cut,
    CutError,
    FileSummary,
    Handler,
    Selection,
    assign_regions,
    workdir,
    write_member,
)


def _summary(
    fmt: str,
    name: str,
    attributes: list[str],
    assigned: list[str | None],
    count: int,
) -> FileSummary:
    if count == 0:
        raise CutError("empty", name=name)
    return FileSummary(fmt, tuple(attributes), tuple(sorted({r for r in assigned if r})), count)


def _ordered_union(groups: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(name for group in groups for name in group))


# --- GeoJSON ----------------------------------------------------------------------------

#: Top-level members written back: the rest (a bounding box of every region, foreign
#: members) could describe what was not bought.
_GEOJSON_KEEP = ("name", "crs")


def _read_geojson(name: str, data: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CutError("unreadable", name=name, format="GeoJSON", detail=exc) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if doc.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise CutError("unreadable", name=name, format="GeoJSON", detail="not a FeatureCollection")
    for feature in features:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise CutError("unreadable", name=name, format="GeoJSON", detail="not a Feature")
        if not isinstance(feature.get("properties") or {}, dict):
            raise CutError("unreadable", name=name, format="GeoJSON", detail="bad properties")
    return doc, features


def _properties(feature: dict[str, Any]) -> dict[str, Any]:
    return feature.get("properties") or {}


def _geojson_regions(
    name: str,
    features: list[dict[str, Any]],
    field: str | None,
    offered: tuple[str, ...],
    strict: bool,
) -> list[str | None]:
    present = field is not None and any(field in _properties(f) for f in features)
    values = [_properties(f).get(field or "") for f in features] if present else None
    return assign_regions(name, values, len(features), field, offered, strict=strict)


def inspect_geojson(
    name: str, data: bytes, region_field: str | None, offered: tuple[str, ...]
) -> FileSummary:
    _doc, features = _read_geojson(name, data)
    assigned = _geojson_regions(name, features, region_field, offered, strict=True)
    attributes = _ordered_union([list(_properties(f)) for f in features])
    return _summary("geojson", name, attributes, assigned, len(features))


def cut_geojson(name: str, data: bytes, selection: Selection) -> Cut | None:
    doc, features = _read_geojson(name, data)
    chosen = set(selection.regions)
    assigned = _geojson_regions(
        name, features, selection.region_field, selection.offered, strict=False
    )
    kept = [f for f, region in zip(features, assigned, strict=True) if region in chosen]
    if not kept:
        return None
    out: dict[str, Any] = {"type": "FeatureCollection"}
    out.update({key: doc[key] for key in _GEOJSON_KEEP if key in doc})
    out["features"] = kept
    result = json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode()
    _check_doc, check = _read_geojson(name, result)
    if len(check) != len(kept):
        raise CutError("internal", name=name)
    regions = tuple(sorted({r for r in assigned if r in chosen and r is not None}))
    attributes = _ordered_union([list(_properties(f)) for f in kept])
    return Cut(name, "geojson", result, tuple(attributes), regions, len(kept))


# --- Shapefile (a zip of .shp, .shx, .dbf and .prj) --------------------------------------

_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def _open_zip(name: str, data: bytes) -> tuple[str, dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise CutError("unreadable", name=name, format="Shapefile", detail=exc) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_UNZIPPED:
            raise CutError("unreadable", name=name, format="Shapefile", detail="too large")
        shps = [m for m in members if m.filename.lower().endswith(".shp")]
        if len(shps) != 1:
            raise CutError("shapefile_parts", name=name)
        stem = shps[0].filename[:-4]
        by_name = {m.filename.lower(): m for m in members}
        parts: dict[str, bytes] = {}
        try:
            for ext in _PARTS:
                member = by_name.get((stem + ext).lower())
                if member is not None:
                    parts[ext] = archive.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise CutError("unreadable", name=name, format="Shapefile", detail=exc) from None
    if ".shx" not in parts or ".dbf" not in parts:
        raise CutError("shapefile_parts", name=name)
    return PurePosixPath(stem).name or "peta", parts


def _encoding(parts: dict[str, bytes]) -> str:
    """The text encoding of the attributes, from the .cpg file (UTF-8 when absent)."""
    declared = parts.get(".cpg", b"").decode("ascii", "ignore").strip()
    if declared.isdigit():
        declared = f"cp{declared}"
    try:
        return codecs.lookup(declared).name if declared else "utf-8"
    except LookupError:
        return "utf-8"


def _read_shapefile(name: str, parts: dict[str, bytes]) -> tuple[Any, list[Any], list[Any]]:
    import shapefile

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a damaged header is not guessed around
            reader = shapefile.Reader(
                shp=io.BytesIO(parts[".shp"]),
                shx=io.BytesIO(parts[".shx"]),
                dbf=io.BytesIO(parts[".dbf"]),
                encoding=_encoding(parts),
            )
            fields = [list(f) for f in reader.fields[1:]]
            shape_records = list(reader.iterShapeRecords())
            shape_type = reader.shapeType
            reader.close()
    except Exception as exc:  # any parser failure means "unreadable"
        raise CutError("unreadable", name=name, format="Shapefile", detail=exc) from None
    return shape_type, fields, shape_records


def _shp_regions(
    name: str,
    fields: list[Any],
    shape_records: list[Any],
    field: str | None,
    offered: tuple[str, ...],
    strict: bool,
) -> list[str | None]:
    names = [str(f[0]) for f in fields]
    values = None
    if field is not None and field in names:
        index = names.index(field)
        values = [sr.record[index] for sr in shape_records]
    return assign_regions(name, values, len(shape_records), field, offered, strict=strict)


def inspect_shp(
    name: str, data: bytes, region_field: str | None, offered: tuple[str, ...]
) -> FileSummary:
    _stem, parts = _open_zip(name, data)
    _type, fields, shape_records = _read_shapefile(name, parts)
    assigned = _shp_regions(name, fields, shape_records, region_field, offered, strict=True)
    return _summary("shp", name, [str(f[0]) for f in fields], assigned, len(shape_records))


def cut_shp(name: str, data: bytes, selection: Selection) -> Cut | None:
    import shapefile

    stem, parts = _open_zip(name, data)
    shape_type, fields, shape_records = _read_shapefile(name, parts)
    chosen = set(selection.regions)
    assigned = _shp_regions(
        name, fields, shape_records, selection.region_field, selection.offered, strict=False
    )
    kept = [sr for sr, region in zip(shape_records, assigned, strict=True) if region in chosen]
    if not kept:
        return None
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    try:
        writer = shapefile.Writer(
            shp=shp, shx=shx, dbf=dbf, shapeType=shape_type, encoding=_encoding(parts)
        )
        for fname, ftype, size, decimal in fields:
            writer.field(str(fname), str(getattr(ftype, "value", ftype)), int(size), int(decimal))
        for sr in kept:
            writer.shape(sr.shape)
            writer.record(*list(sr.record))
        writer.close()
    except Exception as exc:  # a shape or value the writer refuses
        raise CutError("unreadable", name=name, format="Shapefile", detail=exc) from None
    written = {".shp": shp.getvalue(), ".shx": shx.getvalue(), ".dbf": dbf.getvalue()}
    for ext in (".prj", ".cpg"):
        if ext in parts:
            written[ext] = parts[ext]
    _t, _f, check = _read_shapefile(name, written)
    if len(check) != len(kept):
        raise CutError("internal", name=name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for ext, content in written.items():
            write_member(archive, f"{stem}{ext}", content)
    regions = tuple(sorted({r for r in assigned if r in chosen and r is not None}))
    return Cut(name, "shp", out.getvalue(), tuple(str(f[0]) for f in fields), regions, len(kept))


# --- GeoPackage (pyogrio, GDAL) ---------------------------------------------------------


def _read_gpkg_path(name: str, path: Path) -> list[tuple[str, dict[str, Any], Any, list[Any]]]:
    import pyogrio
    from pyogrio import raw

    layers = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            for layer, geometry_type in pyogrio.list_layers(path):
                meta, _fids, geometry, field_data = raw.read(
                    path, layer=str(layer), read_geometry=geometry_type is not None
                )
                layers.append((str(layer), meta, geometry, list(field_data)))
        except Exception as exc:  # any GDAL failure means "unreadable"
            raise CutError("unreadable", name=name, format="GeoPackage", detail=exc) from None
    return layers


def _read_gpkg(name: str, data: bytes) -> list[tuple[str, dict[str, Any], Any, list[Any]]]:
    if not data.startswith(b"SQLite format 3\x00"):
        raise CutError("unreadable", name=name, format="GeoPackage", detail="not SQLite")
    with workdir() as tmp:
        path = tmp / "in.gpkg"
        path.write_bytes(data)
        return _read_gpkg_path(name, path)


def _gpkg_regions(
    name: str,
    meta: dict[str, Any],
    field_data: list[Any],
    field: str | None,
    offered: tuple[str, ...],
    strict: bool,
) -> list[str | None]:
    fields = [str(f) for f in meta["fields"]]
    count = len(field_data[0]) if field_data else 0
    values = field_data[fields.index(field)].tolist() if field in fields else None
    return assign_regions(name, values, count, field, offered, strict=strict)


def _layer_count(meta: dict[str, Any], geometry: Any, field_data: list[Any]) -> int:
    if field_data:
        return len(field_data[0])
    return len(geometry) if geometry is not None else 0


def inspect_gpkg(
    name: str, data: bytes, region_field: str | None, offered: tuple[str, ...]
) -> FileSummary:
    layers = _read_gpkg(name, data)
    assigned: list[str | None] = []
    attributes: list[list[str]] = []
    count = 0
    for _layer, meta, geometry, field_data in layers:
        if _layer_count(meta, geometry, field_data) and not field_data:
            raise CutError("no_region_field", name=name, field=region_field or "-")
        assigned += _gpkg_regions(name, meta, field_data, region_field, offered, strict=True)
        attributes.append([str(f) for f in meta["fields"]])
        count += _layer_count(meta, geometry, field_data)
    return _summary("gpkg", name, _ordered_union(attributes), assigned, count)


def cut_gpkg(name: str, data: bytes, selection: Selection) -> Cut | None:
    import numpy as np
    from pyogrio import raw

    layers = _read_gpkg(name, data)
    chosen = set(selection.regions)
    regions: set[str] = set()
    attributes: list[list[str]] = []
    expected: dict[str, int] = {}
    with workdir() as tmp:
        out = tmp / "cut.gpkg"
        for layer, meta, geometry, field_data in layers:
            if not field_data:
                continue  # a layer without attributes has no region: nothing of it is sold
            assigned = _gpkg_regions(
                name, meta, field_data, selection.region_field, selection.offered, False
            )
            mask = np.array([region in chosen for region in assigned], dtype=bool)
            if not mask.any():
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                try:
                    raw.write(
                        out,
                        geometry[mask] if geometry is not None else None,
                        [column[mask] for column in field_data],
                        [str(f) for f in meta["fields"]],
                        layer=layer,
                        driver="GPKG",
                        geometry_type=meta.get("geometry_type"),
                        crs=meta.get("crs"),
                        encoding=None,
                        append=bool(expected),
                    )
                except Exception as exc:  # a value the writer refuses
                    raise CutError(
                        "unreadable", name=name, format="GeoPackage", detail=exc
                    ) from None
            expected[layer] = int(mask.sum())
            regions |= {r for r, m in zip(assigned, mask, strict=True) if m and r is not None}
            attributes.append([str(f) for f in meta["fields"]])
        if not expected:
            return None
        check = _read_gpkg_path(name, out)
        result = out.read_bytes()
    counts = {layer: _layer_count(meta, g, fd) for layer, meta, g, fd in check}
    if counts != expected:
        raise CutError("internal", name=name)
    return Cut(
        name,
        "gpkg",
        result,
        tuple(_ordered_union(attributes)),
        tuple(sorted(regions)),
        sum(expected.values()),
    )


HANDLERS = {
    "geojson": Handler(inspect_geojson, cut_geojson),
    "shp": Handler(inspect_shp, cut_shp),
    "gpkg": Handler(inspect_gpkg, cut_gpkg),
}
