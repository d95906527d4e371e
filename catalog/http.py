"""Links built from a template made once, for pages that print dozens of them (an edge:
they read the request's script root; templates call them, services never do).

``url_for`` walks the URL map and its converters on every call: a search results page
has about a hundred links (cards, facets, pager), so building them cost more than the
search. :func:`quick_url` asks ``url_for`` once per endpoint (and script root) with a
marker in place of the one path value, then fills the value in and appends the query
string exactly as Werkzeug does (same order, ``None`` dropped, same safe characters).
Only for endpoints whose path value is a plain integer or that have none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request, url_for
from markupsafe import Markup, escape

from catalog.models import Access

_MARKER = 987654321987
_SAFE = "!$'()*,/:;?@"  # werkzeug.urls._urlencode
_templates: dict[tuple[str, str, str], tuple[str, str]] = {}
#: Query strings already encoded (a results page repeats ``?q=…`` on every card and
#: its facet links recur from page to page); bounded, emptied when full.
_queries: dict[tuple[tuple[str, Any], ...], str] = {}
_MAX_QUERIES = 4096


def quick_url(endpoint: str, _arg: str = "", _value: int | None = None, **query: Any) -> str:
    """``url_for(endpoint, **{_arg: _value}, **query)`` for an integer path value."""
    key = (request.script_root, endpoint, _arg)
    parts = _templates.get(key)
    if parts is None:
        values: dict[str, Any] = {_arg: _MARKER} if _arg else {}
        built = url_for(endpoint, **values)
        head, _, tail = built.partition(str(_MARKER)) if _arg else (built, "", "")
        parts = _templates[key] = (head, tail)
    path = f"{parts[0]}{int(_value)}{parts[1]}" if _arg else parts[0]  # type: ignore[arg-type]
    if not query:
        return path
    items = tuple((k, v) for k, v in query.items() if v is not None)
    if not items:
        return path
    try:
        encoded = _queries.get(items)
    except TypeError:  # an unhashable value (a list): encoded every time
        return f"{path}?{urlencode(items, safe=_SAFE)}"
    if encoded is None:
        if len(_queries) >= _MAX_QUERIES:
            _queries.clear()
        encoded = _queries[items] = urlencode(items, safe=_SAFE)
    return f"{path}?{encoded}"


def publication_url(pub_id: int, **query: Any) -> str:
    return quick_url("catalog.publication", "pub_id", pub_id, **query)


def cover_url(pub_id: int) -> str:
    return quick_url("catalog.cover", "pub_id", pub_id)


def search_url(**query: Any) -> str:
    return quick_url("catalog.search", **query)


def page_links(url: str, pages: Iterable[int]) -> Markup:
    """A result card's "found on page" links, ``<a href="URL#page-3">3</a>, …``: a card
    lists up to a dozen pages, and the template loop escaped three values per link (a
    fifth of a results page's rendering); here the URL is escaped once."""
    href = escape(url)
    links = (f'<a href="{href}#page-{int(n)}">{int(n)}</a>' for n in pages)
    return Markup(", ".join(links))  # noqa: S704 - built from an escaped URL and integers


#: The library's online reader (a page of another feature: linked by name, when there).
READER = "library.read"


def reads_online(pub: Any) -> bool:
    """Whether a publication's pages link to the online reader: it has a file, the app
    has the reader, and it is not sold (a sold one's reader answers most people with a
    refusal; its page hits stay on the publication page)."""
    return bool(pub.has_file and pub.access != Access.SALE and READER in current_app.view_functions)


def reader_url(pub_id: int, page: int, q: str | None = None) -> str:
    """The reader opened at ``page`` (its words ``q`` highlighted there)."""
    url = quick_url(READER, "pub_id", pub_id, page=int(page), q=q or None)
    return f"{url}#page-{int(page)}"


def reader_links(pub_id: int, pages: Iterable[int], q: str | None = None) -> Markup:
    """``page_links`` into the reader: each page number opens the reader at that page."""
    links = (f'<a href="{escape(reader_url(pub_id, n, q))}">{int(n)}</a>' for n in pages)
    return Markup(", ".join(links))  # noqa: S704 - built from escaped URLs and integers
