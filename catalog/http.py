"""Links built from a template made once, for pages that print dozens of them (an edge:
they read the request's script root; templates call them, services never do).

``url_for`` walks the URL map and its converters on every call: a search results page
has about a hundred links (cards, facets, pager), so building them cost more than the
search. :func:`quick_url` asks ``url_for`` once per endpoint (and script root) with a
marker in place of the one path value, then fills the value in and appends the query
string exactly as Werkzeug does (same order, ``None`` dropped, same safe characters).
Only for endpoints whose path value is a plain integer or that have none.

:func:`publication_card` writes a list's publication card (search results, the
catalogue's newest, a series' editions). All of a card but its link's query, the
snippet and the found-on-page links depends only on the publication's card columns,
the language and the script root, so that part is made once and kept (per app, the
least recently used dropped beyond :data:`MAX_CARDS`) under those very values: a
publication whose title, cover, file, date, number, page count or access changes gets
a new key, so nothing needs invalidating and no card outlives its data. Cards show
nothing of the visitor, so one visitor's card may serve another. Whether a publication
is listed at all is the caller's query's (:func:`public_cards` keeps the visibility
rule). :func:`result_cards` and :func:`facet_lists` write the search results' cards and
filters, byte for byte as the template's loops did, at a fraction of their cost.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape
from sqlalchemy import Select, bindparam, select

from app.i18n import format_day
from app.i18n import quick_gettext as gettext  # named so: extraction finds the strings
from app.i18n import quick_ngettext as ngettext
from catalog.cards import CARD_COLUMNS
from catalog.models import Access, Publication
from catalog.visibility import now_param, public_clause
from catalog.wiring import ACCESS_LABELS

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


# --- publication cards -----------------------------------------------------------------

MAX_CARDS = 4096  # cards kept per app (about 1 KB each)
_CARDS = "pst.catalog.cards"


@cache
def public_cards() -> Select[*tuple[Any, ...]]:
    """The cards of publications ``:ids`` the public may see at ``:now`` (built once:
    run it with ``{"ids": [...], "now": clock.now()}``)."""
    ids: Any = bindparam("ids", expanding=True)
    return select(*CARD_COLUMNS).where(Publication.id.in_(ids), public_clause(now_param()))


@dataclass(frozen=True, slots=True)
class _Card:
    """A card's parts that depend only on its publication, the language and the script
    root (escaped HTML, plain ``str``): see :func:`_card_html` for how they join."""

    head: str  # from <article> to the title link's href="
    plain_url: str  # the publication's link without a query
    middle: str  # from the link's closing quote to the meta paragraph's end
    found: str  # the found-on-page paragraph's opening
    reader_head: str | None  # "…/read?page=" when its pages open the reader, else None


class _CardCache:
    def __init__(self) -> None:
        self.cards: OrderedDict[tuple[Any, ...], _Card] = OrderedDict()
        self.lock = threading.Lock()  # threaded workers share it

    def get(self, key: tuple[Any, ...]) -> _Card | None:
        with self.lock:
            card = self.cards.get(key)
            if card is not None:
                self.cards.move_to_end(key)
            return card

    def put(self, key: tuple[Any, ...], card: _Card) -> None:
        with self.lock:
            self.cards[key] = card
            while len(self.cards) > MAX_CARDS:
                self.cards.popitem(last=False)


def init_cards(app: Flask) -> None:
    app.extensions[_CARDS] = _CardCache()
    app.jinja_env.globals.update(
        publication_card=publication_card, result_cards=result_cards, facet_lists=facet_lists
    )


def _build_card(pub: Any, has_file: bool) -> _Card:
    """The fixed parts, written as the card template wrote them (same bytes)."""
    access = Access(pub.access)
    if pub.cover_key:
        src = escape(cover_url(pub.id))
        cover = f'<img class="pub-cover" src="{src}" alt="" loading="lazy" width="96">'
    else:
        label = "PDF" if has_file else gettext("Print")
        cover = f'<div class="pub-cover placeholder" aria-hidden="true">{label}</div>'
    day = f"<span>{escape(format_day(pub.release_date))}</span>" if pub.release_date else ""
    # Strings to translate outside the f-strings: extraction does not look inside them.
    number_label, print_only = gettext("Cat. no."), gettext("print only")
    number = f"<span>{number_label} {escape(pub.kat_no)}</span>" if pub.kat_no else ""
    if has_file:
        pages = ngettext("%(num)d page", "%(num)d pages", pub.page_count)
        size = f"<span>{pages}</span>"
        label = escape(ACCESS_LABELS.get(access, access))
        badge = f'<span class="badge access-{escape(access.value)}">{label}</span>'
    else:
        size, badge = f'<span class="badge">{print_only}</span>', ""
    found_on = gettext("Found on page")
    reads = has_file and access != Access.SALE and READER in current_app.view_functions
    reader_path = quick_url(READER, "pub_id", pub.id) if reads else None
    return _Card(
        head=(
            f'\n<article class="pub-card">\n  {cover}\n  <div class="pub-body">\n    <h3><a href="'
        ),
        plain_url=str(escape(publication_url(pub.id))),
        middle=(
            f'">{escape(pub.title)}</a></h3>\n    <p class="pub-meta">\n      {day}\n'
            f"      {number}\n      {size}\n      {badge}\n    </p>\n    "
        ),
        found=f'<p class="pages">{found_on}\n      ',
        reader_head=str(escape(f"{reader_path}?page=")) if reader_path else None,
    )


def _fixed(cache: _CardCache, place: tuple[str, str], pub: Any) -> _Card:
    """``pub``'s kept card parts for ``place`` (language, script root), made if missing."""
    has_file = pub.master_key is not None
    key = (
        *place,
        pub.id,
        pub.title,
        pub.cover_key,
        has_file,
        pub.release_date,
        pub.kat_no,
        pub.page_count,
        pub.access,
    )
    card = cache.get(key)
    if card is None:
        card = _build_card(pub, has_file)
        cache.put(key, card)
    return card


def _words(q: str | None) -> tuple[str, str]:
    """The words' query after a publication link (``?q=…``) and after a reader link's
    page number (``&q=…``), escaped, as :func:`quick_url` writes them (urlencode joins
    its pairs with "&": "page=N&q=…" is "page=N" + "&q=…"); empty without words."""
    if not q:
        return "", ""
    encoded = urlencode((("q", q),), safe=_SAFE)
    return str(escape(f"?{encoded}")), str(escape(f"&{encoded}"))


def _card_html(
    card: _Card, snippet: str | None, pages: Iterable[int] | None, link_q: str, reader_q: str
) -> str:
    parts = [card.head, card.plain_url, link_q, card.middle]
    if snippet:
        parts += ('<p class="snippet">', snippet, "</p>")
    parts.append("\n    ")
    if pages:
        parts.append(card.found)
        numbers = [int(n) for n in pages]
        if card.reader_head is not None:
            head = card.reader_head
            links = (f'<a href="{head}{n}{reader_q}#page-{n}">{n}</a>' for n in numbers)
        else:  # the page's anchors on the publication page
            href = card.plain_url + link_q
            links = (f'<a href="{href}#page-{n}">{n}</a>' for n in numbers)
        parts += (", ".join(links), "</p>")
    parts.append("\n  </div>\n</article>\n")
    return "".join(parts)


def _place() -> tuple[str, str]:
    return str(get_locale()), request.script_root


def publication_card(
    pub: Any, snippet: str | None = None, pages: Iterable[int] | None = None, q: str | None = None
) -> Markup:
    """One publication in a list: cover, title, numbers, date; in search results also
    the words' snippet (``snippet``: HTML of the search engine's, marks included) and
    the pages they were found on, linked with the words ``q``. ``pub`` is a
    ``Publication`` or a row of :data:`CARD_COLUMNS`."""
    card = _fixed(current_app.extensions[_CARDS], _place(), pub)
    html = _card_html(card, snippet, pages, *_words(q))
    return Markup(html)  # noqa: S704 - escaped parts and the engine's snippet HTML


def result_cards(hits: Iterable[Any], publications: dict[int, Any], q: str | None) -> Markup:
    """The search results' cards, in the hits' order (a hit whose publication is not in
    ``publications`` — hidden since the search — is left out), spaced as the template's
    loop spaced them; the language, script root and words looked up once."""
    cache: _CardCache = current_app.extensions[_CARDS]
    place, words = _place(), _words(q)
    out: list[str] = []
    for hit in hits:
        out.append("\n      \n      ")
        pub = publications.get(hit.pub_id)
        if pub is not None:
            out.append(_card_html(_fixed(cache, place, pub), hit.snippet_html, hit.pages, *words))
        out.append("\n    ")
    return Markup("".join(out))  # noqa: S704 - escaped parts and the engine's snippet HTML


# --- the search results' facets ----------------------------------------------------------

#: The facets in the order shown, at most this many values each.
FACETS = ("subject", "year", "type", "language")
MAX_FACET_VALUES = 12


def facet_lists(
    facets: dict[str, list[tuple[Any, int]]], filters: dict[str, Any], q: str, sort: str
) -> Markup:
    """The search results' filters: per facet its values (at most 12) with their
    counts, each linking to the search narrowed to it, the active one (✕) to the search
    without it. Written here rather than in the template, spaced as its loops spaced
    them: two dozen links cost more in Jinja than the rest of the results page."""
    from catalog.wiring import facet_value  # wiring imports this module

    titles = {
        "subject": gettext("Subject"),
        "year": gettext("Year"),
        "type": gettext("Type"),
        "language": gettext("Language"),
    }
    out = ["\n    "]
    for key in FACETS:
        out.append("\n      \n      ")
        values = facets.get(key, [])
        if values:
            out.append(f'\n      <h2>{titles[key]}</h2>\n      <ul class="facet-list">\n        ')
            chosen = str(filters.get(key))
            for value, count in values[:MAX_FACET_VALUES]:
                label = escape(facet_value(key, value))
                out.append("\n          \n          <li>")
                if chosen == str(value):
                    rest = {k: v for k, v in filters.items() if k != key}
                    href = escape(search_url(q=q, sort=sort, **rest))
                    out.append(
                        f'<a aria-current="true" class="active" href="{href}">✕ {label}</a>'
                        "\n              "
                    )
                else:
                    href = escape(search_url(q=q, sort=sort, **dict(filters, **{key: value})))
                    out.append(f'<a href="{href}">{label}</a>')
                out.append(f'\n              <span class="count">{escape(count)}</span>')
                out.append("</li>\n        ")
            out.append("\n      </ul>\n      ")
        out.append("\n    ")
    return Markup("".join(out))  # noqa: S704 - escaped labels and links, our own strings
