"""The cutting library on its own: for every format, any non-empty subset of variables and
regions yields exactly that subset (property-based, with hypothesis), read back with the
format's own library; and the region rule (nested BPS codes, the province)."""

from __future__ import annotations

import csv
import functools
import io
import json
import random
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
import shapefile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyogrio import raw

from demo import products as demo
from store import cutting
from store.cutting import CutError, Selection
from store.regions import REGENCIES

CODES = tuple(code for code, _ in REGENCIES)
COLUMNS = ("ID", "REG", "JK", "NAMA", "BOBOT")
VARIABLES = st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=len(COLUMNS), unique=True)
REGIONS = st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True)
PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def rows() -> list[list[Any]]:
    rng = random.Random(17)
    return [
        [
            i + 1,
            CODES[i % len(CODES)],
            rng.choice([1, 2]),
            rng.choice(["Ani", "Budi", "Citra", "Dewi"]),
            round(rng.uniform(10, 500), 2),
        ]
        for i in range(43)
    ]


def _norm(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{float(value):.2f}"
    text = str(value)
    try:
        return f"{float(text):.2f}"
    except ValueError:
        return text


def _expected(variables: list[str], regions: list[str]) -> list[tuple[str, ...]]:
    index = [COLUMNS.index(v) for v in variables]
    return sorted(tuple(_norm(row[i]) for i in index) for row in rows() if row[1] in regions)


@functools.cache
def files() -> dict[str, bytes]:
    header = list(COLUMNS)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows()])
    variables = tuple((name, f"Label {name}") for name in COLUMNS)
    return {
        "t.csv": out.getvalue().encode(),
        "t.sav": demo.stat_file(
            "sav", variables, rows(), numeric={"ID"}, value_labels={"JK": {1: "L", 2: "P"}}
        ),
        "t.dta": demo.stat_file(
            "dta", variables, rows(), numeric=set(), value_labels={"JK": {1: "L", 2: "P"}}
        ),
        "t.dbf": demo.dbf_file(
            [
                ("ID", "N", 4, 0),
                ("REG", "C", 4, 0),
                ("JK", "N", 1, 0),
                ("NAMA", "C", 10, 0),
                ("BOBOT", "N", 8, 2),
            ],
            rows(),
        ),
    }


def _read(name: str, data: bytes) -> tuple[list[str], list[tuple[str, ...]]]:
    if name.endswith(".csv"):
        table = list(csv.reader(io.StringIO(data.decode())))
        return table[0], sorted(tuple(_norm(v) for v in row) for row in table[1:])
    if name.endswith(".dbf"):
        reader = shapefile.Reader(dbf=io.BytesIO(data))
        names = [f[0] for f in reader.fields[1:]]
        return names, sorted(tuple(_norm(v) for v in r) for r in reader.records())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        reader_fn = pyreadstat.read_sav if name.endswith(".sav") else pyreadstat.read_dta
        frame, _meta = reader_fn(str(path))
    table = frame.astype(object).values.tolist()
    return [str(c) for c in frame.columns], sorted(tuple(_norm(v) for v in r) for r in table)


@pytest.mark.parametrize("name", ["t.csv", "t.sav", "t.dta", "t.dbf"])
@PROPERTY
@given(variables=VARIABLES, regions=REGIONS)
def test_microdata_cut_is_exactly_the_subset(name, variables, regions):
    selection = Selection(
        regions=tuple(regions), offered=CODES, region_field="REG", variables=tuple(variables)
    )
    result = cutting.cut(name, files()[name], selection)
    assert result is not None
    columns, table = _read(name, result.data)
    assert columns == variables
    assert table == _expected(variables, regions)
    assert set(result.regions) == set(regions)


# --- maps --------------------------------------------------------------------------------


@functools.cache
def map_files() -> dict[str, bytes]:
    features = demo.map_features(random.Random(5), per_region=3)
    return {
        "m.geojson": demo.geojson_file(features),
        "m.zip": demo.shapefile_zip(features, "m"),
        "m.gpkg": demo.geopackage_file(features, "m"),
    }


def _feature_ids(name: str, data: bytes) -> list[str]:
    if name.endswith(".geojson"):
        return sorted(f["properties"]["idsls"] for f in json.loads(data)["features"])
    if name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        reader = shapefile.Reader(
            shp=io.BytesIO(archive.read("m.shp")),
            shx=io.BytesIO(archive.read("m.shx")),
            dbf=io.BytesIO(archive.read("m.dbf")),
        )
        return sorted(r["idsls"] for r in reader.records())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        meta, _fids, _geometry, fields = raw.read(path)
    return sorted(fields[list(meta["fields"]).index("idsls")])


@pytest.mark.parametrize("name", ["m.geojson", "m.zip", "m.gpkg"])
@PROPERTY
@given(regions=REGIONS)
def test_map_cut_is_exactly_the_chosen_regions(name, regions):
    selection = Selection(regions=tuple(regions), offered=CODES, region_field="kode")
    result = cutting.cut(name, map_files()[name], selection)
    assert result is not None
    expected = sorted(f"{code}010001{n:04d}" for code in regions for n in (1, 2, 3))
    assert _feature_ids(name, result.data) == expected
    assert set(result.regions) == set(regions)


# --- the region rule and refusals ----------------------------------------------------------


def test_region_codes_and_nesting():
    assert cutting.region_code(1771.0) == "1771" == cutting.region_code(" 1771 ")
    assert cutting.region_code(float("nan")) is None and cutting.region_code("") is None
    assert cutting.belongs("1771010001", "1771") and not cutting.belongs("1701", "1771")
    assert cutting.belongs("1709", "1700") and not cutting.belongs("3171", "1700")


def test_a_file_with_records_of_no_offered_region_is_refused():
    data = b"REG,X\n1771,1\n3171,2\n"
    with pytest.raises(CutError) as caught:
        cutting.inspect("t.csv", data, region_field="REG", offered=CODES)
    assert caught.value.code == "unknown_regions" and "3171" in caught.value.params["codes"]


def test_missing_regions_or_variables_make_the_package_incomplete():
    selection = Selection(
        regions=("1701", "1709"), offered=CODES, region_field="REG", variables=("X",)
    )
    cut = cutting.cut("t.csv", b"REG,X\n1701,1\n1702,2\n", selection)
    assert cut is not None and cut.regions == ("1701",)
    with pytest.raises(CutError) as caught:
        cutting.check_complete([cut], selection)
    assert caught.value.code == "missing_regions" and caught.value.params["codes"] == "1709"
