"""The order's documents, in Indonesian, drawn with reportlab: the numbered invoice
(*tagihan*), the receipt (*kuitansi*) and the pre-filled SPPD to sign.

Fonts, dates and the text of every field come through :mod:`app.pdf` (DejaVu Sans
embedded, CJK fallback, escaped markup). Every table splits inside a row, so an abstract
of 5,000 characters per field flows onto further pages instead of failing the document
(and with it the payment confirmation that builds the package).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app import documents as kit
from app import pdf
from app.documents import rupiah, terbilang
from app.i18n import WIB
from app.pdf import FONT, FONT_BOLD, tanggal, waktu
from store import regions as region_list
from store.models import AgreementText, Order, OrderItem, Payment, ProductKind

KIND_NAMES = {
    ProductKind.PRINTED: "Publikasi tercetak",
    ProductKind.DIGITAL: "Publikasi digital",
    ProductKind.MICRODATA: "Data mikro",
    ProductKind.MAP: "Peta digital wilkerstat",
}
BASIS_NAMES = {
    "government": "instansi pemerintah",
    "education": "pendidikan",
    "state_body": "lembaga negara",
    "international": "lembaga internasional",
    "non_commercial": "penggunaan nonkomersial",
}


def _styles() -> dict[str, ParagraphStyle]:
    pdf.register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=8
        ),
        "right": ParagraphStyle("right", parent=body, alignment=2),
    }


def item_description(item: OrderItem) -> str:
    product = item.product
    parts = [f"{KIND_NAMES[product.kind]}: {product.title}"]
    if item.variables:
        parts.append(f"variabel: {', '.join(item.variables)}")
    if item.regions:
        parts.append("wilayah: " + ", ".join(region_list.name(c) for c in item.regions))
    if item.file_format:
        parts.append(f"format: {item.file_format}")
    if product.kind == ProductKind.PRINTED:
        parts.append(f"{item.quantity} eksemplar")
    return "; ".join(parts)


_p = pdf.para


def _header(order: Order, office: str, title: str, number: str | None) -> list[object]:
    st = _styles()
    heading = [
        (f"BADAN PUSAT STATISTIK — {office.upper()}", st["h2"]),
        ("Pelayanan Statistik Terpadu (PST)", st["small"]),
    ]
    return [
        *kit.letterhead(heading, rule=False),
        _p(title, st["title"]),
        _p(f"Nomor: {number or '-'}    ·    Kode pesanan: {order.code}", st["body"]),
        Spacer(1, 4 * mm),
    ]


def _buyer(order: Order) -> list[object]:
    _styles()
    user = order.user
    rows: list[tuple[str, object]] = [
        ("Nama", user.full_name),
        ("Instansi", user.institution or "-"),
        ("Surel", user.email),
        ("Telepon", user.phone or "-"),
    ]
    if order.shipping_address:
        rows.append(("Alamat pengiriman", order.shipping_address))
    return [*_facts(rows), Spacer(1, 4 * mm)]


def _facts(rows: list[tuple[str, object]] | list[list[str]]) -> list[object]:
    """Labels and values; a value taller than the page (an abstract's 5,000 characters)
    goes on on the next page instead of failing the whole document (a LayoutError)."""
    st = _styles()
    return list(pdf.facts(rows, st["body"], st["body"], (45 * mm, 120 * mm)))


def _items_table(order: Order) -> Table:
    st = _styles()
    data: list[list[object]] = [
        [_p("No", st["body"]), _p("Uraian", st["body"]), _p("Jumlah", st["right"])]
    ]
    for number, item in enumerate(order.items, 1):
        data.append(
            [
                _p(str(number), st["body"]),
                _p(item_description(item), st["body"]),
                _p(rupiah(item.amount), st["right"]),
            ]
        )
    if order.shipping_fee:
        data.append(
            ["", _p("Ongkos kirim", st["body"]), _p(rupiah(order.shipping_fee), st["right"])]
        )
    data.append(
        [
            "",
            Paragraph("<b>Total</b>", st["body"]),
            Paragraph(f"<b>{rupiah(order.total)}</b>", st["right"]),
        ]
    )
    table = Table(data, colWidths=[12 * mm, 118 * mm, 35 * mm], repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _build(flowables: list[Any], title: str) -> bytes:
    # Each page names the document and its number: long abstracts flow onto more pages.
    return kit.render(
        flowables, title=title, author="Badan Pusat Statistik", footer=title, lang="id"
    )


def _billing(order: Order) -> Payment | None:
    """The SIMPONI payment whose billing code the documents print (the latest issued)."""
    issued = [
        p
        for p in order.payments
        if p.method == "simponi" and p.billing_code and p.status.value not in ("failed",)
    ]
    return issued[-1] if issued else None


def _free_of_charge(order: Order) -> str:
    """What an order of Rp0 is: a service free of charge, and on what ground."""
    if order.zero_rate.value == "granted":
        basis = BASIS_NAMES.get(order.zero_rate_basis or "", "penggunaan nonkomersial")
        return (
            "Layanan tanpa biaya: tarif Rp0 diberikan oleh petugas untuk "
            f"{basis} (penggunaan nonkomersial). Tidak ada yang harus dibayar."
        )
    return "Layanan tanpa biaya (tarif Rp0). Tidak ada yang harus dibayar."


def invoice_pdf(order: Order, *, office: str, bank_details: str = "") -> bytes:
    """The numbered invoice (*tagihan*) of an order awaiting payment. An order of Rp0
    has nothing to pay: no deadline, no payment instructions."""
    st = _styles()
    flow = _header(order, office, "TAGIHAN (INVOICE)", order.invoice_no)
    flow += _buyer(order)
    flow.append(_items_table(order))
    flow.append(Spacer(1, 4 * mm))
    if order.total == 0:
        flow.append(_p(_free_of_charge(order), st["body"]))
    else:
        if order.zero_rate.value == "refused":
            flow.append(_p("Permohonan tarif Rp0 tidak dikabulkan.", st["body"]))
        flow.append(_p(f"Terbilang: {terbilang(order.total)} rupiah.", st["body"]))
        flow.append(_p(f"Batas waktu pembayaran: {waktu(order.payment_due_at)}.", st["body"]))
        billing = _billing(order)
        if billing is not None:
            flow.extend(
                _facts(
                    [
                        ["Kode billing SIMPONI", billing.billing_code or "-"],
                        ["Jumlah", rupiah(billing.amount)],
                    ]
                )
            )
            flow.append(
                _p(
                    "Bayar dengan kode billing SIMPONI di atas (Penerimaan Negara Bukan Pajak) "
                    "melalui bank persepsi, kantor pos atau saluran pembayaran lain. Biaya "
                    "transfer dan ongkos kirim ditanggung pembeli.",
                    st["body"],
                )
            )
        else:
            flow.append(
                _p(
                    "Pembayaran melalui kode billing SIMPONI (Penerimaan Negara Bukan Pajak) "
                    "atau transfer bank sesuai petunjuk petugas. Biaya transfer dan ongkos "
                    "kirim ditanggung pembeli.",
                    st["body"],
                )
            )
        if bank_details:
            flow.append(_p(bank_details, st["body"]))
    flow.append(Spacer(1, 6 * mm))
    flow.append(_p(f"Diterbitkan {tanggal(order.updated_at)} oleh {office}.", st["small"]))
    return _build(flow, f"Tagihan {order.invoice_no}")


def receipt_pdf(order: Order, *, office: str) -> bytes:
    """The receipt (*kuitansi*) of a paid order, with the NTPN (SIMPONI) or the bank's
    reference (transfer) that proves the payment. An order of Rp0 gets a receipt that
    says what it is — a service free of charge under the granted Rp0 tariff — rather
    than money received."""
    st = _styles()
    payment = next((p for p in order.payments if p.confirmed_at is not None), None)
    if order.total == 0:
        flow = _header(order, office, "BUKTI LAYANAN TANPA BIAYA (TARIF Rp0)", order.receipt_no)
        flow += _buyer(order)
        flow.append(_items_table(order))
        flow.append(Spacer(1, 4 * mm))
        flow.extend(
            _facts(
                [
                    ["Diberikan kepada", order.user.full_name],
                    ["Keterangan", _free_of_charge(order)],
                    ["Untuk", f"pesanan {order.code}, tagihan {order.invoice_no or '-'}"],
                    ["Tanggal", waktu(order.paid_at)],
                ]
            )
        )
    else:
        flow = _header(order, office, "KUITANSI / BUKTI PEMBAYARAN", order.receipt_no)
        flow += _buyer(order)
        flow.append(_items_table(order))
        flow.append(Spacer(1, 4 * mm))
        method = (
            {
                "simponi": "kode billing SIMPONI",
                "bank_transfer": "transfer bank",
                "card": "kartu (Stripe)",
                "cash": "tunai di meja layanan",
            }.get(payment.method or "", "-")
            if payment
            else "-"
        )
        rows = [
            ["Telah diterima dari", order.user.full_name],
            ["Uang sejumlah", f"{rupiah(order.total)} ({terbilang(order.total)} rupiah)"],
            ["Untuk pembayaran", f"pesanan {order.code}, tagihan {order.invoice_no or '-'}"],
            ["Cara pembayaran", method],
        ]
        if payment is not None and payment.method == "simponi":
            rows.append(["Kode billing", payment.billing_code or "-"])
            rows.append(["NTPN", payment.reference or "-"])
        elif payment is not None and payment.method == "bank_transfer":
            rows.append(["Referensi bank", payment.reference or "-"])
        elif payment is not None and payment.external_ref:
            rows.append(["Referensi pembayaran", payment.external_ref])
        rows.append(["Tanggal pembayaran", waktu(order.paid_at)])
        flow += _facts(rows)
    flow.append(Spacer(1, 10 * mm))
    flow.append(_p(f"Bengkulu, {tanggal(order.paid_at)}", st["right"]))
    flow.append(_p(f"Petugas PST {office}", st["right"]))
    return _build(flow, f"Kuitansi {order.receipt_no}")


def sppd_pdf(order: Order, agreement: AgreementText, *, office: str) -> bytes:
    """The SPPD pre-filled with the buyer, the order and the chosen data, ready to sign
    twice over a Rp10.000 duty stamp (*meterai*)."""
    st = _styles()
    user = order.user
    flow = _header(order, office, agreement.title.upper(), f"SPPD/{order.code}")
    flow.append(_p("Yang bertanda tangan di bawah ini:", st["body"]))
    id_line = (
        f"{(user.id_type.value.upper() if user.id_type else 'Identitas')} {user.id_number or '-'}"
    )
    flow.extend(
        _facts(
            [
                ["Nama", user.full_name],
                ["Nomor identitas", id_line],
                ["Instansi", user.institution or "-"],
                ["Pekerjaan", user.occupation or "-"],
                ["Surel / telepon", f"{user.email} / {user.phone or '-'}"],
            ]
        )
    )
    flow.append(Spacer(1, 3 * mm))
    flow.append(_p("Data yang dimohon:", st["h2"]))
    for item in order.items:
        if item.product.gated:
            flow.append(_p("• " + item_description(item), st["body"]))
    if order.abstract is not None:
        flow.append(_p("Abstraksi penggunaan data:", st["h2"]))
        a = order.abstract
        flow.extend(
            _facts(
                [
                    ["Judul", a.title],
                    ["Tujuan", a.purpose],
                    ["Metode", a.method],
                    ["Keluaran", a.outputs],
                    [
                        "Target selesai",
                        tanggal(datetime.combine(a.completion_date, datetime.min.time(), WIB)),
                    ],
                ]
            )
        )
    flow.append(_p("Ketentuan:", st["h2"]))
    paragraphs = [p.strip() for p in agreement.body.split("\n\n") if p.strip()]
    for paragraph in paragraphs[:-1]:
        flow.append(_p(paragraph, st["body"]))
        flow.append(Spacer(1, 2 * mm))
    # The signatures and the duty stamp stay on one page with the last clause and the
    # acceptance line: a page holding only signatures would sign nothing.
    closing: list[object] = []
    if paragraphs:
        closing += [_p(paragraphs[-1], st["body"]), Spacer(1, 2 * mm)]
    acceptance = order.acceptance
    if acceptance is not None:
        closing.append(
            _p(
                f"Disetujui secara elektronik pada {waktu(acceptance.accepted_at)} dari alamat "
                f"{acceptance.ip or '-'}; versi naskah {agreement.version}, "
                f"SHA-256 {acceptance.text_sha256}.",
                st["small"],
            )
        )
    closing.append(Spacer(1, 8 * mm))
    sign = Table(
        [
            [_p("Pengguna data,", st["body"]), _p(f"Kepala {office},", st["body"])],
            [_p("Meterai Rp10.000", st["small"]), ""],
            [
                _p(f"({user.full_name})", st["body"]),
                _p("(....................................)", st["body"]),
            ],
        ],
        colWidths=[82 * mm, 82 * mm],
        rowHeights=[10 * mm, 24 * mm, None],  # the buyer's name may take lines
    )
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    closing.append(sign)
    closing.append(
        _p(
            "Dibuat rangkap dua; masing-masing bermeterai dan mempunyai kekuatan hukum yang sama.",
            st["small"],
        )
    )
    flow.append(KeepTogether(closing))
    return _build(flow, f"SPPD {order.code}")
