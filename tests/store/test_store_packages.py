"""Data packages hold exactly what was approved, for every kind and format.

Each test orders through the real path (order, requirements, approval, manual payment
confirmed by another officer, fulfilment), opens the delivered zip, reads every data file
with its format's library and compares variables and regions with the approved order; any
other file, variable or region, or a missing ordered region, fails it. Files that could
not be cut are refused at setup; a package that cannot be cut is not built at all.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3
import zipfile
from pathlib import Path

import pyreadstat
import pytest
import shapefile
from helpers import csrf_token, submit
from pyogrio import raw
from storekit import SETTINGS, complete_requirements, login, pay_manually, person

from app.accounts.models import Role
from app.audit import AuditEvent
from app.blobs import current_store
from app.db import utcnow
from demo import products as demo
from store import fulfilment, orders
from store import products as catalogue
from store.errors import NotReady, UncuttableFile, WrongState
from store.models import OrderStatus, Product, ProductKind
from store.regions import REGENCIES

S = OrderStatus
SUSENAS_LABELS = dict(demo.SUSENAS_VARS)


# --- the real path -----------------------------------------------------------------------


@pytest.fixture
def cashier(session):
    """A second officer: payment is confirmed by someone other than the reviewer."""
    return person(session, role=Role.OFFICER, full_name="Kasir PST")


def _paid(session, buyer, officer, cashier, product, *, regions, variables=(), file_format):
    order = orders.create_order(
        session,
        buyer,
        [
            {
                "product_id": product.id,
                "variables": list(variables),
                "regions": list(regions),
                "file_format": file_format,
            }
        ],
        settings=SETTINGS,
        now=utcnow(),
    )
    complete_requirements(session, order, buyer)
    orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    pay_manually(session, order, officer=cashier)  # a second officer: billing and payment
    return orders.get_order(session, order.code, user=buyer, now=utcnow())


def _download(session, order) -> zipfile.ZipFile:
    key, _name = fulfilment.take_package(session, order, order.items[0].id, now=utcnow())
    with current_store().open(key) as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def _data_files(archive: zipfile.ZipFile, order) -> dict[str, bytes]:
    """The data files; fails on anything in the zip that is not data or a known document."""
    folder = archive.namelist()[0].split("/", 1)[0]
    documents = {
        f"{folder}/SPPD-{order.code}.pdf",
        f"{folder}/README.txt",
        f"{folder}/LISENSI.txt",
        f"{folder}/{order.acceptance.scan_name}",
    }
    data = {}
    for name in archive.namelist():
        if name.startswith(f"{folder}/data/"):
            data[name.rsplit("/", 1)[-1]] = archive.read(name)
        else:
            assert name in documents, f"unexpected file in the package: {name}"
    assert set(archive.namelist()) >= documents
    return data


def _readme(archive: zipfile.ZipFile) -> str:
    return archive.read(next(n for n in archive.namelist() if n.endswith("README.txt"))).decode()


def _source(product: Product, filename: str) -> bytes:
    pf = next(pf for pf in product.files if pf.filename == filename)
    with current_store().open(pf.blob_key) as fh:
        return fh.read()


def _source_rows(product: Product, filename: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_source(product, filename).decode())))


def _stat(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    reader = pyreadstat.read_sav if name.endswith(".sav") else pyreadstat.read_dta
    return reader(str(path))


@pytest.fixture
def regency_map(products):
    return next(
        p for p in products.values() if p.kind == ProductKind.MAP and p.area_level == "regency"
    )


@pytest.fixture
def sakernas(products):
    return next(p for p in products.values() if p.survey == "SAKERNAS")


# --- microdata ---------------------------------------------------------------------------


def test_csv_package_holds_the_approved_variables_and_regions_only(
    session, buyer, officer, cashier, susenas
):
    # The region column is not approved here: it is not shipped, the rows are still cut.
    order = _paid(
        session,
        buyer,
        officer,
        cashier,
        susenas,
        regions=("1701", "1709"),
        variables=("EXPEND", "R405"),
        file_format="csv",
    )
    assert order.status == S.FULFILLED
    archive = _download(session, order)
    data = _data_files(archive, order)
    assert list(data) == ["susenas_202403_kor.csv"]
    rows = list(csv.reader(io.StringIO(data["susenas_202403_kor.csv"].decode())))
    assert rows[0] == ["R405", "EXPEND"]
    expected = [
        [r["R405"], r["EXPEND"]]
        for r in _source_rows(susenas, "susenas_202403_kor.csv")
        if r["R102"] in ("1701", "1709")
    ]
    assert rows[1:] == expected and expected
    readme = _readme(archive)
    assert "data/susenas_202403_kor.csv" in readme and "susenas_202403_kor.sav" not in readme
    assert "EXPEND" in readme and "R405" in readme
    for name, _label in demo.SUSENAS_VARS:
        if name not in ("EXPEND", "R405"):
            assert f" {name} " not in readme, name
    assert "Kabupaten Bengkulu Tengah" in readme and "Kabupaten Kaur" not in readme


def test_sav_package_keeps_labels_of_the_kept_variables_only(
    session, buyer, officer, cashier, susenas, tmp_path
):
    chosen = ("R102", "R405", "EXPEND")
    order = _paid(
        session,
        buyer,
        officer,
        cashier,
        susenas,
        regions=("1701", "1709"),
        variables=chosen,
        file_format="sav",
    )
    data = _data_files(_download(session, order), order)
    assert list(data) == ["susenas_202403_kor.sav"]
    frame, meta = _stat(tmp_path, "cut.sav", data["susenas_202403_kor.sav"])
    assert list(frame.columns) == list(chosen)
    assert set(frame["R102"]) == {1701.0, 1709.0}
    source = _source_rows(susenas, "susenas_202403_kor.csv")
    assert len(frame) == sum(r["R102"] in ("1701", "1709") for r in source)
    assert meta.column_labels == [SUSENAS_LABELS[name] for name in chosen]
    assert meta.variable_value_labels["R405"] == {1.0: "Laki-laki", 2.0: "Perempuan"}
    assert set(meta.variable_value_labels) == {"R102", "R405"}  # R105's labels are gone


@pytest.fixture
def regency_microdata(session, products):
    """A regency-level microdata set offered as Stata and DBF (set up through the same
    check as officers' files)."""
    product = Product(
        kind=ProductKind.MICRODATA,
        title="Data Mikro Uji Kabupaten",
        tariff=products[next(iter(products))].tariff,
        survey="UJI",
        coverage="regency",
        formats="dta,dbf",
        region_variable="KODE_KAB",
    )
    session.add(product)
    session.flush()
    catalogue.set_variables(session, product, list(demo.SAKERNAS_VARS))
    rows = demo.sakernas_rows(random.Random(7))
    dta = demo.stat_file(
        "dta", demo.SAKERNAS_VARS, rows, numeric=set(), value_labels=demo.SAKERNAS_VALUE_LABELS
    )
    store = current_store()
    catalogue.attach_file(session, store, product, "uji.dta", dta, actor_id=None)
    catalogue.attach_file(
        session,
        store,
        product,
        "uji.dbf",
        demo.dbf_file(demo.SAKERNAS_DBF_FIELDS, rows),
        actor_id=None,
    )
    session.commit()
    return product, rows


def test_dta_package_is_cut_to_variables_and_regions(
    session, buyer, officer, cashier, regency_microdata, tmp_path
):
    product, rows = regency_microdata
    chosen = ("KODE_KAB", "K4", "R28")
    order = _paid(
        session,
        buyer,
        officer,
        cashier,
        product,
        regions=("1702", "1771"),
        variables=chosen,
        file_format="dta",
    )
    data = _data_files(_download(session, order), order)
    assert list(data) == ["uji.dta"]
    frame, meta = _stat(tmp_path, "cut.dta", data["uji.dta"])
    assert list(frame.columns) == list(chosen)
    assert set(frame["KODE_KAB"]) == {"1702", "1771"}
    assert len(frame) == sum(r[1] in ("1702", "1771") for r in rows)
    assert meta.column_labels == [
        "Kode kabupaten/kota",
        "Jenis kelamin",
        "Upah/gaji bersih sebulan (Rp)",
    ]
    assert set(meta.variable_value_labels) == {"K4"}


def test_dbf_package_is_cut_to_variables_and_regions(
    session, buyer, officer, cashier, regency_microdata
):
    product, rows = regency_microdata
    order = _paid(
        session,
        buyer,
        officer,
        cashier,
        product,
        regions=("1701", "1709"),
        variables=("KODE_KAB", "WEIGHT"),
        file_format="dbf",
    )
    data = _data_files(_download(session, order), order)
    assert list(data) == ["uji.dbf"]
    reader = shapefile.Reader(dbf=io.BytesIO(data["uji.dbf"]))
    assert [f[0] for f in reader.fields[1:]] == ["KODE_KAB", "WEIGHT"]
    records = [list(r) for r in reader.records()]
    assert {r[0] for r in records} == {"1701", "1709"}
    assert [r[1] for r in records] == [row[9] for row in rows if row[1] in ("1701", "1709")]


def test_province_microdata_keeps_every_row_and_only_the_chosen_variables(
    session, buyer, officer, cashier, sakernas
):
    order = _paid(
        session,
        buyer,
        officer,
        cashier,
        sakernas,
        regions=("1700",),
        variables=("K9", "R28"),
        file_format="csv",
    )
    data = _data_files(_download(session, order), order)
    rows = list(csv.reader(io.StringIO(data["sakernas_202408.csv"].decode())))
    assert rows[0] == ["K9", "R28"]
    assert len(rows) - 1 == len(_source_rows(sakernas, "sakernas_202408.csv"))


# --- maps ----------------------------------------------------------------------------------


def test_geojson_map_holds_exactly_regions_1701_and_1709(
    session, buyer, officer, cashier, regency_map
):
    """What was seen: 1701 and 1709 ordered, 1701–1704 delivered and nothing for 1709."""
    order = _paid(
        session,
        buyer,
        officer,
        cashier,
        regency_map,
        regions=("1701", "1709"),
        file_format="geojson",
    )
    assert order.status == S.FULFILLED
    archive = _download(session, order)
    data = _data_files(archive, order)
    assert list(data) == ["wilkerstat_sls_2024.geojson"]
    doc = json.loads(data["wilkerstat_sls_2024.geojson"])
    codes = [f["properties"]["kode"] for f in doc["features"]]
    assert set(codes) == {"1701", "1709"} and len(codes) == 4
    assert set(doc) <= {"type", "features", "name", "crs"}
    readme = _readme(archive)
    assert "1701 Kabupaten Bengkulu Selatan" in readme
    assert "1709 Kabupaten Bengkulu Tengah" in readme
    assert "1702" not in readme and "Rejang Lebong" not in readme


def test_shapefile_map_holds_exactly_the_chosen_regions(
    session, buyer, officer, cashier, regency_map
):
    order = _paid(
        session, buyer, officer, cashier, regency_map, regions=("1701", "1709"), file_format="shp"
    )
    data = _data_files(_download(session, order), order)
    assert list(data) == ["wilkerstat_sls_2024.zip"]
    inner = zipfile.ZipFile(io.BytesIO(data["wilkerstat_sls_2024.zip"]))
    assert sorted(inner.namelist()) == sorted(
        f"wilkerstat_sls_2024.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")
    )
    reader = shapefile.Reader(
        shp=io.BytesIO(inner.read("wilkerstat_sls_2024.shp")),
        shx=io.BytesIO(inner.read("wilkerstat_sls_2024.shx")),
        dbf=io.BytesIO(inner.read("wilkerstat_sls_2024.dbf")),
    )
    codes = [sr.record["kode"] for sr in reader.iterShapeRecords()]
    assert sorted(codes) == ["1701", "1701", "1709", "1709"]
    assert all(len(sr.shape.points) == 5 for sr in reader.iterShapeRecords())


def test_geopackage_map_holds_exactly_the_chosen_regions_with_fresh_extent_and_index(
    session, buyer, officer, cashier, regency_map, tmp_path
):
    order = _paid(
        session, buyer, officer, cashier, regency_map, regions=("1701", "1709"), file_format="gpkg"
    )
    data = _data_files(_download(session, order), order)
    assert list(data) == ["wilkerstat_sls_2024.gpkg"]
    path = tmp_path / "cut.gpkg"
    path.write_bytes(data["wilkerstat_sls_2024.gpkg"])
    meta, _fids, geometry, fields = raw.read(path)
    kode = list(fields[list(meta["fields"]).index("kode")])
    assert sorted(kode) == ["1701", "1701", "1709", "1709"] and len(geometry) == 4
    with sqlite3.connect(path) as db:
        extent = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents").fetchone()
        tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")]
        rtree = db.execute("SELECT count(*) FROM rtree_wilkerstat_sls_2024_geom").fetchone()[0]
    assert tables == ["wilkerstat_sls_2024"] and rtree == 4
    # The extent is that of the kept features (1701 and 1709), not of the province.
    source = json.loads(_source(regency_map, "wilkerstat_sls_2024.geojson"))
    points = [
        point
        for f in source["features"]
        if f["properties"]["kode"] in ("1701", "1709")
        for point in f["geometry"]["coordinates"][0]
    ]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    assert extent == pytest.approx((min(xs), min(ys), max(xs), max(ys)))


def _per_region_map(session, products, codes) -> Product:
    product = Product(
        kind=ProductKind.MAP,
        title="Peta Uji per Kabupaten",
        tariff=products[next(iter(products))].tariff,
        area_level="regency",
        area_code="1700",
        year=2024,
        formats="geojson",
    )
    session.add(product)
    session.flush()
    features = demo.map_features(random.Random(3))
    for code in codes:
        mine = [f for f in features if f["properties"]["kode"] == code]
        catalogue.attach_file(
            session,
            current_store(),
            product,
            f"wilkerstat_{code}.geojson",
            demo.geojson_file(mine),
            actor_id=None,
        )
    session.commit()
    return product


def test_per_region_files_are_chosen(session, buyer, officer, cashier, products):
    product = _per_region_map(session, products, [code for code, _ in REGENCIES])
    order = _paid(
        session, buyer, officer, cashier, product, regions=("1701", "1709"), file_format="geojson"
    )
    data = _data_files(_download(session, order), order)
    assert sorted(data) == ["wilkerstat_1701.geojson", "wilkerstat_1709.geojson"]
    for name, content in data.items():
        features = json.loads(content)["features"]
        assert {f["properties"]["kode"] for f in features} == {name[11:15]}


def test_missing_region_is_never_shipped_and_an_officer_can_build_again(
    client, session, buyer, officer, cashier, products
):
    """The old demo map had files for 1701–1704 only: an order for 1701 and 1709 is paid,
    but no package leaves; the order waits, paid, with the reason, for an officer."""
    product = _per_region_map(session, products, ["1701", "1702", "1703", "1704"])
    order = _paid(
        session, buyer, officer, cashier, product, regions=("1701", "1709"), file_format="geojson"
    )
    item = order.items[0]
    assert order.status == S.PAID and item.fulfilled_at is None and item.package_key is None
    with pytest.raises(NotReady):
        fulfilment.take_package(session, order, item.id, now=utcnow())
    reason = fulfilment.failed_package_reason(order)
    assert reason and "1709" in reason
    assert session.query(AuditEvent).filter_by(action="store.package_failed").count() == 1

    # The buyer is told the package is being prepared, and has nothing to download.
    login(client, buyer)
    page = client.get(f"/store/orders/{order.code}").get_data(as_text=True)
    assert "Paket sedang disiapkan" in page and f'id="download-{item.id}"' not in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    # The officer sees why on the order page, mends the product, builds it again.
    login(client, officer)
    staff = f"/staff/store/orders/{order.code}"
    page = client.get(staff).get_data(as_text=True)
    assert 'id="package-problem"' in page and "1709" in page
    features = demo.map_features(random.Random(3))
    catalogue.attach_file(
        session,
        current_store(),
        product,
        "wilkerstat_1709.geojson",
        demo.geojson_file([f for f in features if f["properties"]["kode"] == "1709"]),
        actor_id=officer.id,
    )
    session.commit()
    response = submit(client, f"{staff}/packages", {}, page=staff)
    assert response.status_code == 302
    session.expire_all()
    order = orders.get_order(session, order.code, user=buyer, now=utcnow())
    assert order.status == S.FULFILLED
    data = _data_files(_download(session, order), order)
    assert sorted(data) == ["wilkerstat_1701.geojson", "wilkerstat_1709.geojson"]
    with pytest.raises(WrongState):
        fulfilment.retry_packages(
            session, order, actor_id=officer.id, now=utcnow(), settings=SETTINGS
        )


def test_a_package_that_fails_to_build_leaves_the_order_paid_for_a_retry(
    session, buyer, officer, cashier, susenas, monkeypatch, caplog
):
    """A document that cannot be drawn (issue 15: a long abstract broke the SPPD) or a
    storage hiccup while the package is built must not fail the payment confirmation:
    the payment stands, the order waits paid with the reason, and an officer builds the
    package again."""
    from store import documents

    real = documents.sppd_pdf

    def broken(*args, **kwargs):
        raise ValueError("the flowable is too large")

    monkeypatch.setattr(documents, "sppd_pdf", broken)
    order = _paid(
        session,
        buyer,
        officer,
        cashier,
        susenas,
        regions=("1701",),
        variables=("EXPEND",),
        file_format="csv",
    )
    item = order.items[0]
    assert order.status == S.PAID and order.paid_at is not None
    assert item.fulfilled_at is None and item.package_key is None
    reason = fulfilment.failed_package_reason(order)
    assert reason and "ValueError" in reason
    assert "the package of order" in caplog.text
    assert (
        fulfilment.retry_packages(
            session, order, actor_id=officer.id, now=utcnow(), settings=SETTINGS
        )
        is False
    )  # still broken: recorded again, nothing raised

    monkeypatch.setattr(documents, "sppd_pdf", real)
    assert fulfilment.retry_packages(
        session, order, actor_id=officer.id, now=utcnow(), settings=SETTINGS
    )
    order = orders.get_order(session, order.code, user=buyer, now=utcnow())
    assert order.status == S.FULFILLED
    assert list(_data_files(_download(session, order), order)) == ["susenas_202403_kor.csv"]


# --- setup: a file that could not be cut is refused ------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _map_without(part: str) -> bytes:
    whole = zipfile.ZipFile(
        io.BytesIO(demo.shapefile_zip(demo.map_features(random.Random(1)), "peta"))
    )
    return _zip({n: whole.read(n) for n in whole.namelist() if not n.endswith(part)})


REFUSED = [
    ("microdata", "tabel.xlsx", b"PK\x03\x04", "tidak didukung"),
    ("microdata", "tanpa_wilayah.csv", b"R301,EXPEND\n1,2\n", "R102"),
    ("microdata", "luar.csv", b"R102,EXPEND\n1771,2\n3171,5\n", "3171"),
    ("microdata", "pincang.csv", b"R102,EXPEND\n1771,2\n1701\n", "Baris 3"),
    ("microdata", "rusak.sav", b"$FL2 not really spss", "SPSS"),
    ("microdata", "lain.dta", b"<stata_dta>", "dta"),
    ("microdata", "peta.geojson", b"{}", "bukan data mikro"),
    (
        "map",
        "tanpa_kode.geojson",
        demo.geojson_file([{"type": "Feature", "properties": {"nama": "x"}, "geometry": None}]),
        "kode",
    ),
    ("map", "tanpa_shx.zip", _map_without(".shx"), "shapefile"),
    ("map", "bukan.gpkg", b"not sqlite at all", "GeoPackage"),
]


@pytest.mark.parametrize(("kind", "filename", "data", "reason"), REFUSED)
def test_uncuttable_files_are_refused_at_setup(
    session, susenas, regency_map, kind, filename, data, reason
):
    product = susenas if kind == "microdata" else regency_map
    before = [pf.filename for pf in product.files]
    with pytest.raises(UncuttableFile) as caught:
        catalogue.attach_file(session, current_store(), product, filename, data, actor_id=None)
    message = str(caught.value.message)
    assert filename in message and reason in message, message
    session.rollback()
    assert [pf.filename for pf in product.files] == before


def test_refusals_are_translated(app, session, susenas):
    from flask_babel import force_locale

    with pytest.raises(UncuttableFile) as caught:
        catalogue.attach_file(
            session, current_store(), susenas, "x.csv", b"A,B\n1,2\n", actor_id=None
        )
    with force_locale("id"):
        assert "kode wilayah" in str(caught.value.message)
    with force_locale("en"):
        assert "holding the region code" in str(caught.value.message)


def test_a_file_is_attached_with_the_cli_or_refused_with_its_reason(
    app, session, susenas, tmp_path
):
    runner = app.test_cli_runner()
    bad = tmp_path / "luar.csv"
    bad.write_bytes(b"R102,EXPEND\n3171,5\n")
    result = runner.invoke(args=["store", "add-file", str(susenas.id), str(bad)])
    assert result.exit_code == 1 and "3171" in result.output
    good = tmp_path / "tambahan.csv"
    good.write_bytes(b"R102,EXPEND\n1771,5\n1701,6\n")
    result = runner.invoke(args=["store", "add-file", str(susenas.id), str(good)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output  # the demo's CSV holds every region and variable
    session.expire_all()
    assert "tambahan.csv" in [pf.filename for pf in susenas.files]
    assert session.query(AuditEvent).filter_by(action="store.product_file_added").count() >= 1


def test_the_cli_warns_of_regions_no_file_holds_yet(app, session, products, tmp_path):
    product = _per_region_map(session, products, ["1701"])
    features = demo.map_features(random.Random(3))
    path = tmp_path / "wilkerstat_1709.geojson"
    path.write_bytes(demo.geojson_file([f for f in features if f["properties"]["kode"] == "1709"]))
    result = app.test_cli_runner().invoke(args=["store", "add-file", str(product.id), str(path)])
    assert result.exit_code == 0, result.output
    assert "warning: no geojson file holds regions 1702, 1703" in result.output
    assert "1701" not in result.output.split("regions", 1)[1]


def test_the_download_button_goes_after_the_last_allowed_download(
    client, session, buyer, officer, cashier, regency_map
):
    order = _paid(
        session, buyer, officer, cashier, regency_map, regions=("1771",), file_format="geojson"
    )
    item = order.items[0]
    login(client, buyer)
    url = f"/store/orders/{order.code}"
    for _ in range(SETTINGS.package_downloads):
        assert f'id="download-{item.id}"' in client.get(url).get_data(as_text=True)
        fulfilment.take_package(session, order, item.id, now=utcnow())
    page = client.get(url).get_data(as_text=True)
    assert f'id="download-{item.id}"' not in page and "Kesempatan unduh sudah habis" in page


def test_importing_variables_that_no_file_holds_is_warned(app, session, susenas, tmp_path):
    ddi = tmp_path / "ddi.xml"
    ddi.write_bytes(
        b'<?xml version="1.0"?><codeBook xmlns="ddi:codebook:2_5"><dataDscr>'
        b'<var name="R102"><labl>Kabupaten/Kota</labl></var>'
        b'<var name="B5R1"><labl>Lapangan usaha</labl></var></dataDscr></codeBook>'
    )
    result = app.test_cli_runner().invoke(args=["store", "import-ddi", str(susenas.id), str(ddi)])
    assert result.exit_code == 0, result.output
    assert "warning: no csv file holds variables B5R1" in result.output
    assert "warning: no sav file holds variables B5R1" in result.output
