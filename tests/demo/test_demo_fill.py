"""``pst demo`` fills the catalogue, then the library and the store, and again changes
nothing; ``pst store demo`` adds only the store's products."""

from __future__ import annotations

from sqlalchemy import func, select

from store.models import Product


def test_pst_demo_fills_catalogue_and_store(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--count", "3"])
    assert result.exit_code == 0, result.output
    assert "store products added" in result.output
    kinds = set(session.scalars(select(Product.kind)))
    assert {str(k) for k in kinds} >= {"microdata", "map"}
    before = session.scalar(select(func.count()).select_from(Product))
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "skipped" in again.output
    assert session.scalar(select(func.count()).select_from(Product)) == before


def test_pst_store_demo_adds_products_once(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["store", "demo"])
    assert result.exit_code == 0, result.output
    assert "products added" in result.output
    before = session.scalar(select(func.count()).select_from(Product))
    assert before
    again = runner.invoke(args=["store", "demo"])
    assert again.exit_code == 0 and again.output.startswith("0 products added")
    assert session.scalar(select(func.count()).select_from(Product)) == before
