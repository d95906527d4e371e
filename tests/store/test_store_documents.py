"""Documents in Indonesian (invoice, receipt, SPPD) and the demo products and DDI import."""

from __future__ import annotations

import subprocess

import pytest
from storekit import complete_requirements, gated_order, pay_manually

from app.blobs import current_store
from demo.products import seed_products
from store import documents, requirements
from store.errors import InvalidChoice
from store.models import Product, ProductKind, Variable
from store.products import import_ddi, parse_ddi


def _text(tmp_path, data: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_terbilang():
    assert documents.terbilang(0) == "nol"
    assert documents.terbilang(11) == "sebelas"
    assert documents.terbilang(115) == "seratus lima belas"
    assert documents.terbilang(1_000) == "seribu"
    assert documents.terbilang(750_000) == "tujuh ratus lima puluh ribu"
    assert documents.terbilang(2_012_500) == "dua juta dua belas ribu lima ratus"
    assert documents.rupiah(1_250_000) == "Rp1.250.000"


def test_documents_render_indonesian_text(session, tmp_path, buyer, officer, approved_order):
    order = approved_order
    invoice = _text(
        tmp_path,
        documents.invoice_pdf(
            order, office="BPS Provinsi Bengkulu", bank_details="Bank Mandiri a.n. BPS"
        ),
    )
    assert "TAGIHAN" in invoice and order.invoice_no in invoice
    assert "Batas waktu pembayaran" in invoice and "Terbilang" in invoice
    assert "tujuh ratus lima puluh ribu rupiah" in invoice
    assert "Rp750.000" in invoice and "Kota" in invoice
    pay_manually(session, order, officer=officer)
    receipt = _text(tmp_path, documents.receipt_pdf(order, office="BPS Provinsi Bengkulu"))
    assert "KUITANSI" in receipt and "Telah diterima dari" in receipt
    assert "Rina Marlina" in receipt and "kode billing SIMPONI" in receipt
    sppd = _text(
        tmp_path,
        documents.sppd_pdf(order, order.acceptance.agreement, office="BPS Provinsi Bengkulu"),
    )
    for words in (
        "PERJANJIAN PENGGUNAAN DATA",
        "Yang bertanda tangan",
        "Meterai Rp10.000",
        "Abstraksi penggunaan data",
        "EXPEND",
        "Ketimpangan pengeluaran",
        "Disetujui secara elektronik",
        "Kerahasiaan",
    ):
        assert words in sppd, words


def test_sppd_is_prefilled_before_acceptance(session, tmp_path, buyer, susenas):
    order = gated_order(session, buyer, susenas)
    text = _text(
        tmp_path,
        documents.sppd_pdf(
            order, requirements.current_agreement(session), office="BPS Provinsi Bengkulu"
        ),
    )
    assert "Rina Marlina" in text and "Data mikro" in text


def test_demo_seed_is_idempotent(session, products):
    count = session.query(Product).count()
    assert seed_products(session, current_store()) == 0
    assert session.query(Product).count() == count
    kinds = {p.kind for p in session.query(Product)}
    assert kinds == set(ProductKind)
    micro = session.query(Product).filter_by(kind=ProductKind.MICRODATA).all()
    assert len(micro) == 2 and all(len(p.variables) >= 10 and p.files for p in micro)


DDI = b"""<?xml version="1.0" encoding="UTF-8"?>
<codeBook xmlns="ddi:codebook:2_5" version="2.5">
  <dataDscr>
    <var ID="V1" name="R101"><labl>Provinsi</labl></var>
    <var ID="V2" name="R102"><labl>Kabupaten/Kota</labl></var>
    <var ID="V3" name="B5R1"><labl>  Lapangan   usaha </labl></var>
  </dataDscr>
</codeBook>"""


def test_ddi_import(session, susenas):
    assert parse_ddi(DDI) == [
        ("R101", "Provinsi"),
        ("R102", "Kabupaten/Kota"),
        ("B5R1", "Lapangan usaha"),
    ]
    assert import_ddi(session, susenas.id, DDI, actor_id=None) == 3
    names = [
        v.name
        for v in session.query(Variable)
        .filter_by(product_id=susenas.id)
        .order_by(Variable.position)
    ]
    assert names == ["R101", "R102", "B5R1"]


@pytest.mark.parametrize(
    "data",
    [b"<!DOCTYPE x [<!ENTITY a 'b'>]><codeBook/>", b"not xml", b"<codeBook></codeBook>"],
)
def test_ddi_refuses_dtds_and_junk(data):
    with pytest.raises(InvalidChoice):
        parse_ddi(data)


def test_complete_requirements_moves_to_review(session, buyer, susenas):
    order = complete_requirements(session, gated_order(session, buyer, susenas), buyer)
    assert order.status.value == "under_review"
