"""Citations of a publication: BPS's own text form, BibTeX, RIS and CSL-JSON.

BPS cites its publications with the office as corporate author and publisher:
``Badan Pusat Statistik Provinsi Bengkulu. (2024). Provinsi Bengkulu Dalam Angka 2024.
Bengkulu: BPS Provinsi Bengkulu.`` The exports carry the same facts plus the ISBN or
ISSN, the BPS catalogue number and the page's address, for reference managers.

Pure functions of a :class:`Cited` (made from a publication by :func:`cited`): no
database, no request. Each format is escaped for its own syntax, so a title with braces,
percent signs, newlines or ``ER  -`` cannot break the record or forge a field.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalog.models import Kind, Publication


@dataclass(frozen=True)
class Publisher:
    """The office as BPS names it in citations (settings ``CATALOG_PUBLISHER*``)."""

    name: str  # "Badan Pusat Statistik Provinsi Bengkulu": author and publisher
    short: str  # "BPS Provinsi Bengkulu": the publisher after the place
    place: str  # "Bengkulu"


def publisher_from(config: Mapping[str, Any]) -> Publisher:
    """The office's publisher names from the app's settings."""
    return Publisher(
        name=str(config["CATALOG_PUBLISHER"]),
        short=str(config["OFFICE_NAME"]),
        place=str(config["CATALOG_PUBLISHER_PLACE"]),
    )


@dataclass(frozen=True)
class Cited:
    """What a citation says about one publication (text already on one line)."""

    id: int
    title: str
    subtitle: str | None
    released: date | None
    isbn: str | None
    issn: str | None
    kat_no: str | None
    pub_no: str | None
    language: str
    url: str
    report: bool  # a BRS or a publication without ISBN: a report rather than a book
    keywords: tuple[str, ...]
    abstract: str | None
    series: str | None

    @property
    def year(self) -> int | None:
        return self.released.year if self.released else None


def one_line(text: str | None) -> str:
    """``text`` on one line: runs of whitespace (newlines, tabs, U+2028) become one space
    and other control characters go (no format lets them through meaningfully)."""
    if not text:
        return ""
    kept = "".join(
        ch for ch in text if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cs"}
    )
    return " ".join(kept.split())  # after the drop: "a \x1b" must not end in a space


#: Subtitles that only name the kind (BPS prints "Berita Resmi Statistik" under every
#: release; the page shows the kind's label instead, see catalog.wiring.subtitle).
_KIND_ONLY_SUBTITLES = frozenset({"berita resmi statistik"})


def _informative_subtitle(publication: Publication) -> str | None:
    """The subtitle, unless it repeats the English title or only names the kind."""
    subtitle = one_line(publication.subtitle)
    if subtitle.casefold() in _KIND_ONLY_SUBTITLES or subtitle == one_line(publication.title_en):
        return None
    return subtitle or None


def cited(publication: Publication, url: str) -> Cited:
    """The citation facts of ``publication``, whose page is at ``url`` (absolute)."""
    return Cited(
        id=publication.id,
        title=one_line(publication.title),
        subtitle=_informative_subtitle(publication),
        released=publication.release_date,
        isbn=one_line(publication.isbn) or None,
        issn=one_line(publication.issn) or None,
        kat_no=one_line(publication.kat_no) or None,
        pub_no=one_line(publication.pub_no) or None,
        language=publication.language or "id",
        url=url,
        report=publication.kind == Kind.BRS or not publication.isbn,
        keywords=tuple(one_line(s.name) for s in publication.subjects),
        abstract=one_line(publication.abstract) or None,
        series=one_line(publication.series.title) if publication.series else None,
    )


def text(c: Cited, publisher: Publisher) -> str:
    """BPS's citation form: ``Author. (Year). Title. Place: Publisher.`` (``t.t.``,
    *tanpa tahun*, when the release date is unknown)."""
    year = str(c.year) if c.year else "t.t."
    title = c.title.rstrip(".")
    return f"{publisher.name}. ({year}). {title}. {publisher.place}: {publisher.short}."


def citation_key(c: Cited) -> str:
    """An ASCII key unique in the catalogue: ``bps<year>_<id>``."""
    return f"bps{c.year or 'tt'}_{c.id}"


# --- BibTeX --------------------------------------------------------------------------

#: LaTeX's special characters in text, and what prints them.
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts braces even when escaped, so one unmatched brace in
    # a title would swallow the rest of the entry.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
#: Accents a Latin letter may carry, as LaTeX accent commands (classic BibTeX sorts and
#: prints these; letters of other scripts stay UTF-8, which biber reads).
_TEX_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0328": "k",
}
_TEX_LETTERS = {
    "ß": r"{\ss}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
}


def _tex_char(ch: str) -> str:
    if ch in _TEX_SPECIAL:
        return _TEX_SPECIAL[ch]
    if ch.isascii():
        return ch
    if ch in _TEX_LETTERS:
        return _TEX_LETTERS[ch]
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in _TEX_ACCENTS:
        base = r"\i" if parts[0] == "i" else parts[0]  # an accent on i replaces its dot
        return f"{{\\{_TEX_ACCENTS[parts[1]]}{{{base}}}}}"
    return ch


def bibtex_escape(value: str) -> str:
    """``value`` as LaTeX text inside a BibTeX field: specials escaped, accented Latin
    letters as accent commands, and the ligatures of ``--``, ````` and ``''`` broken so
    the characters print as typed."""
    out = []
    for i, ch in enumerate(value):
        out.append(_tex_char(ch))
        following = value[i + 1 : i + 2]
        if (ch in "-'`!?<>," and following == ch) or (ch in "!?" and following == "`"):
            out.append("{}")
    return "".join(out)


def bibtex(c: Cited, publisher: Publisher) -> str:
    """One BibTeX entry: ``@book`` for a publication with an ISBN, else ``@techreport``.

    Title and author are in double braces: the office is one corporate name (not
    "Last, First") and the title's capitals are kept as BPS writes them."""
    fields: list[tuple[str, str]] = [
        ("title", "{" + bibtex_escape(c.title) + "}"),
        ("author", "{" + bibtex_escape(publisher.name) + "}"),
    ]
    if c.subtitle:
        fields.append(("subtitle", bibtex_escape(c.subtitle)))
    if c.year:
        fields.append(("year", str(c.year)))
    if c.released:
        fields.append(("date", c.released.isoformat()))
    if c.report:
        fields.append(("institution", bibtex_escape(publisher.name)))
        if c.pub_no:
            fields.append(("number", bibtex_escape(c.pub_no)))
    else:
        fields.append(("publisher", bibtex_escape(publisher.short)))
    fields.append(("address", bibtex_escape(publisher.place)))
    if c.series:
        fields.append(("series", bibtex_escape(c.series)))
    if c.isbn:
        fields.append(("isbn", bibtex_escape(c.isbn)))
    if c.issn:
        fields.append(("issn", bibtex_escape(c.issn)))
    if c.kat_no:
        fields.append(("note", bibtex_escape(f"Katalog BPS {c.kat_no}")))
    fields.append(("language", "indonesian" if c.language == "id" else "english"))
    if c.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(c.keywords))))
    # A URL is printed verbatim by the url package: only braces and % would still break.
    fields.append(("url", c.url.replace("%", r"\%").replace("{", "%7B").replace("}", "%7D")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    kind = "techreport" if c.report else "book"
    return f"@{kind}{{{citation_key(c)},\n{body}\n}}\n"


# --- RIS -----------------------------------------------------------------------------

_RIS_LINE = re.compile(r"[\r\n]")


def ris(c: Cited, publisher: Publisher) -> str:
    """One RIS record (``TY`` … ``ER``), CRLF line ends as the format asks. Every value is
    on one line (see :func:`one_line`), so no value can start a tag of its own."""
    lines: list[tuple[str, str]] = [
        ("TY", "RPRT" if c.report else "BOOK"),
        ("TI", c.title),
    ]
    if c.subtitle:
        lines.append(("T2", c.subtitle))
    lines.append(("AU", publisher.name))
    if c.year:
        lines.append(("PY", str(c.year)))
    if c.released:
        lines.append(("DA", c.released.strftime("%Y/%m/%d")))
    lines += [("PB", publisher.short), ("CY", publisher.place)]
    if c.series:
        lines.append(("T3", c.series))
    for number in (c.isbn, c.issn):
        if number:
            lines.append(("SN", number))
    if c.kat_no:
        lines.append(("CN", c.kat_no))
    if c.pub_no:
        lines.append(("M1", c.pub_no))
    lines.append(("LA", c.language))
    lines += [("KW", k) for k in c.keywords]
    if c.abstract:
        lines.append(("AB", c.abstract))
    lines += [("UR", c.url), ("ID", citation_key(c)), ("ER", "")]
    return "".join(f"{tag}  - {_RIS_LINE.sub(' ', value)}\r\n" for tag, value in lines)


# --- CSL-JSON ------------------------------------------------------------------------


def csl(c: Cited, publisher: Publisher) -> list[dict[str, object]]:
    """The publication as a CSL-JSON item list (what Zotero, Pandoc and citeproc read)."""
    item: dict[str, object] = {
        "id": citation_key(c),
        "type": "report" if c.report else "book",
        "title": c.title,
        "author": [{"literal": publisher.name}],
        "publisher": publisher.short,
        "publisher-place": publisher.place,
        "language": c.language,
        "URL": c.url,
    }
    if c.released:
        item["issued"] = {"date-parts": [[c.released.year, c.released.month, c.released.day]]}
    if c.isbn:
        item["ISBN"] = c.isbn
    if c.issn:
        item["ISSN"] = c.issn
    if c.kat_no:
        item["call-number"] = c.kat_no
    if c.pub_no:
        item["number"] = c.pub_no
    if c.series:
        item["collection-title"] = c.series
    if c.keywords:
        item["keyword"] = ", ".join(c.keywords)
    if c.abstract:
        item["abstract"] = c.abstract
    return [item]


def csl_json(c: Cited, publisher: Publisher) -> str:
    return json.dumps(csl(c, publisher), ensure_ascii=False, indent=2) + "\n"
