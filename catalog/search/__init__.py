"""Full-text search of the publications catalogue, on Whoosh, fast.

One Whoosh document per publication (all its pages in one field, page numbers encoded
in the word positions), Indonesian stemming beside exact words, and a query engine
that scores whole posting lists at once instead of Whoosh's per-posting matchers.
Used by the app, by jobs and by ``bench/search.py``; imports neither Flask nor any
other project package.

    index = SearchIndex(instance_path / "search")
    index.add([PubDoc(pub_id=1, title="Statistik Penduduk 2023", pages=[...])])
    index.query("kependudukan", filters={"year": 2023})
"""

from catalog.search.engine import ENGINES, SearchEngine
from catalog.search.index import SearchIndex
from catalog.search.models import Hit, PageHit, PubDoc, QueryError, Results, SearchError
from catalog.search.snippets import marked_page

__all__ = [
    "ENGINES",
    "Hit",
    "PageHit",
    "PubDoc",
    "QueryError",
    "Results",
    "SearchEngine",
    "SearchError",
    "SearchIndex",
    "marked_page",
]
