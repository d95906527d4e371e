"""A microdata product's page describes it as a schema.org Dataset (read with extruct)."""

from __future__ import annotations

import extruct


def test_microdata_product_page_has_dataset_json_ld(client, susenas):
    html = client.get(f"/store/products/{susenas.id}").get_data(as_text=True)
    (ld,) = extruct.extract(html, base_url="http://localhost/", syntaxes=["json-ld"])["json-ld"]
    assert ld["@type"] == "Dataset" and ld["name"] == susenas.title
    assert ld["url"] == f"http://localhost/store/products/{susenas.id}"
    assert ld["creator"]["name"] == "Badan Pusat Statistik Provinsi Bengkulu"
    assert ld["isAccessibleForFree"] is False
    assert ld["measurementTechnique"] == "SUSENAS"
    assert len(ld["variableMeasured"]) == len(susenas.variables)


def test_other_products_have_no_dataset(client, products):
    printed = next(p for p in products.values() if p.kind.value == "printed")
    html = client.get(f"/store/products/{printed.id}").get_data(as_text=True)
    assert "application/ld+json" not in html
