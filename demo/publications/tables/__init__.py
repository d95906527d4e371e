"""Table builders by name: ``TABLES["pop_region"](ctx, variant)``."""

from __future__ import annotations

from collections.abc import Callable

from demo.publications.tables import economy, people, prices, sectors, welfare
from demo.publications.tables.base import _Ctx, _TableData

TABLES: dict[str, Callable[[_Ctx, int], _TableData]] = {
    name.removeprefix("_t_"): fn
    for module in (people, welfare, sectors, prices, economy)
    for name, fn in vars(module).items()
    if name.startswith("_t_") and callable(fn)
}
