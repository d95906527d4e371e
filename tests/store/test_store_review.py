"""What the officer reviews and the buyer signs: the abstract check both ways, revisions
compared, one name for the SPPD, and a signature block that stays with its text."""

from __future__ import annotations

import subprocess

from helpers import submit
from storekit import (
    SETTINGS,
    abstract_data,
    complete_requirements,
    gated_order,
    login,
)

from app.db import utcnow
from store import documents, orders, requirements


def test_the_abstract_check_flags_extra_variables_too(client, session, buyer, officer, susenas):
    order = gated_order(session, buyer, susenas, variables=("R102", "R301", "EXPEND"))
    requirements.submit_abstract(
        session,
        order,
        # FOOD and R407 are variables of the set the buyer did not order; "R10" is no
        # variable and "R1021" no prefix match.
        abstract_data(variables="R102, R301, EXPEND, FOOD dan R407 (umur); R10, R1021"),
        actor_id=buyer.id,
        now=utcnow(),
    )
    found = requirements.mismatches(order)
    assert found["variables"] == [] and found["extra_variables"] == ["R407", "FOOD"]
    # A chosen variable only found inside a longer name is missing.
    requirements.submit_abstract(
        session,
        order,
        abstract_data(variables="R1021, R301, EXPEND"),
        actor_id=buyer.id,
        now=utcnow(),
    )
    assert requirements.mismatches(order)["variables"] == ["R102"]
    requirements.submit_abstract(
        session,
        order,
        abstract_data(variables="R102, R301, EXPEND, FOOD"),
        actor_id=buyer.id,
        now=utcnow(),
    )
    login(client, officer)
    html = client.get(f"/staff/store/orders/{order.code}").get_data(as_text=True)
    assert 'id="mismatch-extra"' in html and "FOOD" in html
    assert "Disebut dalam abstraksi tetapi tidak dipesan" in html


def test_the_officer_compares_a_revision_with_the_one_before(
    client, session, buyer, officer, susenas
):
    order = complete_requirements(session, gated_order(session, buyer, susenas), buyer)
    orders.review(
        session,
        order,
        "revise",
        actor=officer,
        settings=SETTINGS,
        reason="Jelaskan metode.",
        now=utcnow(),
    )
    login(client, buyer)
    url = f"/store/orders/{order.code}"
    data = abstract_data(method="Regresi kuantil pada EXPEND per kabupaten.")
    data["completion_date"] = data["completion_date"].isoformat()
    assert submit(client, f"{url}/abstract", data, page=url).status_code == 302
    session.expire_all()
    assert order.abstract.revision == 2 and order.status.value == "under_review"
    comparison = requirements.compare_revisions(session, order)
    changed = [f.field for f in comparison.fields if f.changed]
    assert (comparison.before, comparison.after, changed) == (1, 2, ["method"])
    client.post("/logout", data={"csrf_token": _token(client)})
    login(client, officer)
    html = client.get(f"/staff/store/orders/{order.code}").get_data(as_text=True)
    assert "Revisi 2 dibandingkan dengan revisi 1" in html
    assert "<del>Indeks Gini dan regresi kuantil.</del>" in html
    assert "<ins>Regresi kuantil pada EXPEND per kabupaten.</ins>" in html


def _token(client):
    from helpers import csrf_token

    return csrf_token(client, "/")


def test_the_sppd_has_one_name(client, session, buyer, susenas):
    order = gated_order(session, buyer, susenas)
    login(client, buyer)
    html = client.get(f"/store/orders/{order.code}").get_data(as_text=True)
    assert "Surat Perjanjian Penggunaan Data" in html
    assert "pernyataan" not in html.lower()


def test_the_signatures_stay_with_the_agreement(session, tmp_path, buyer, susenas):
    order = complete_requirements(session, gated_order(session, buyer, susenas), buyer)
    path = tmp_path / "sppd.pdf"
    path.write_bytes(
        documents.sppd_pdf(order, order.acceptance.agreement, office="BPS Provinsi Bengkulu")
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    signed = [page for page in pages if "Meterai Rp10.000" in page]
    assert len(signed) == 1
    page = signed[0]
    # The last clause and the electronic acceptance are on the page that is signed.
    assert "Pelanggaran atas perjanjian" in page and "Disetujui secara elektronik" in page
    assert "Dibuat rangkap dua" in page
