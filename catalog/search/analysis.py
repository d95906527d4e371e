"""Text analysis: tokens, the cached Indonesian (Sastrawi) and English stems, stop words.

The same tokeniser serves indexing, queries, page matching and highlighting, so that a
word highlighted on a page is exactly a word the index matched. Stemming is cached per
word (Sastrawi takes ~0.1 ms a word; a corpus has a few ten thousand distinct words).
"""

from __future__ import annotations

import inspect
import re
import sys
from functools import lru_cache
from typing import Any

from catalog.search.whoosh_imports import (
    RemovePlainPrefix,
    SastrawiContext,
    StemmerFactory,
    porter_stem,
)

# A run of letters and digits ("covid19", "2023"). Separators split numbers: "12.345"
# is "12" "345", which a query turns into a phrase (as tantivy and Lucene do) — this
# keeps table figures from flooding the term dictionary with one-off terms.
TOKEN_RE = re.compile(r"[^\W_]+")
# The same tokens in ASCII text, a third faster (no Unicode class look-ups).
ASCII_TOKEN_RE = re.compile(r"[A-Za-z0-9]+")

# Words too common to narrow an Indonesian query; dropped from free-word queries that
# have other words (never from phrases, never at indexing time).
STOP_WORDS = frozenset({
    "yang", "dan", "di", "ke", "dari", "pada", "untuk", "dengan", "dalam", "atau", "ini",
    "itu", "adalah", "oleh", "sebagai", "juga", "tersebut", "akan", "telah", "sudah", "bagi",
    "serta", "the", "of", "and", "in", "on", "for", "to", "a", "an",
})  # fmt: skip

STEM_MARK = "~"  # a stem term is "~" + stem; the tokeniser never yields "~"
_ALPHA_RE = re.compile(r"[a-z]+")


# ASCII text: every character that is not a letter or digit becomes a space, then
# str.split() (twice as fast as the regular expression, the same tokens).
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def tokens(text: str) -> list[str]:
    """The lower-cased tokens of ``text``."""
    lower = text.lower()
    if lower.isascii():
        return lower.translate(_ASCII_SEPARATORS).split()
    return TOKEN_RE.findall(lower)


@lru_cache(maxsize=262_144)
def stem_id(word: str) -> str | None:
    """The Sastrawi stem of a lower-cased word ("kependudukan" -> "duduk").

    ``None`` for a word that is not stemmed: numbers, short words (< 4 letters).
    """
    if len(word) < 4 or not _ALPHA_RE.fullmatch(word):
        return None
    return str(_stemmer().stem_word(word)) or word


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """Sastrawi's stemmer, without its own cache (ours is above); loaded on first use.

    Made faster with the same stems (a test compares it with an untouched Sastrawi):
    its ``re`` calls go through :class:`_SastrawiRe`, dictionary look-ups are a bare
    ``dict`` membership test, and each word is stemmed in a :class:`_FastContext`,
    which tries only the prefix rules that can apply to the word.
    """
    stemmer = StemmerFactory().create_stemmer().delegatedStemmer
    for name, module in list(sys.modules.items()):
        if name.startswith("Sastrawi.") and getattr(module, "re", None) is re:
            module.re = _SastrawiRe  # type: ignore[attr-defined]
    dictionary = stemmer.dictionary
    dictionary.contains = dictionary.words.__contains__  # this instance only
    index = _PrefixIndex(stemmer.visitor_provider.prefix_visitors)
    provider = stemmer.visitor_provider

    def stem_singular_word(word: str) -> str:
        context = _FastContext(word, dictionary, provider)
        context.prefix_index = index
        context.execute()
        return str(context.result)

    stemmer.stem_singular_word = stem_singular_word  # this instance only
    stemmer.prefix_index = index
    return stemmer


class _PrefixIndex:
    """Sastrawi's prefix visitors, by the letters a word must start with for each to
    apply; the visitors whose start cannot be told always apply."""

    def __init__(self, visitors: list[Any]) -> None:
        self.visitors = visitors
        self.entries: list[tuple[tuple[str, ...] | None, Any]] = []
        for visitor in visitors:
            starts = (
                ("di", "ke", "se")  # its one pattern: ^(di|ke|se)
                if isinstance(visitor, RemovePlainPrefix)
                else _rule_prefixes(visitor)
            )
            self.entries.append((starts, visitor))
        self.width = max((len(s) for starts, _ in self.entries for s in starts or ()), default=0)
        self.indexed = sum(1 for starts, _ in self.entries if starts)
        self._cache: dict[str, tuple[Any, ...]] = {}

    def applicable(self, word: str) -> tuple[Any, ...]:
        """The visitors, in their order, that may change ``word``."""
        key = word[: self.width]
        found = self._cache.get(key)
        if found is None:
            found = tuple(
                v for starts, v in self.entries if starts is None or key.startswith(starts)
            )
            self._cache[key] = found
        return found


class _FastContext(SastrawiContext):  # type: ignore[misc]
    """Sastrawi's stemming context, trying only the prefix visitors that can apply.

    Sastrawi runs all ~35 prefix visitors, each a set of regular expressions, several
    times per word (once per pass and per restored suffix); the others cannot change
    the word, so skipping them changes nothing but the time (three times less).
    """

    prefix_index: _PrefixIndex

    def accept_prefix_visitors(self, visitors: list[Any]) -> str | None:
        if visitors is not self.prefix_index.visitors:
            return super().accept_prefix_visitors(visitors)  # type: ignore[no-any-return]
        removals = len(self.removals)
        contains = self.dictionary.contains
        for visitor in self.prefix_index.applicable(self.current_word):
            visitor.visit(self)
            if contains(self.current_word) or self.process_is_stopped:
                return str(self.current_word)
            if len(self.removals) > removals:
                return None
        return None


_RULE_PATTERN = re.compile(r"re\.match\(\s*r?'([^']*)'")


def _rule_prefixes(visitor: Any) -> tuple[str, ...] | None:
    """The letters a word must start with for any rule of a Sastrawi prefix visitor to
    apply; ``None`` when that cannot be told (then the visitor always runs).

    Sastrawi tries its ~40 prefix-disambiguation visitors on every word, each running
    regular expressions such as ``^meng([aiueo])(.*)$``; skipping the visitors whose
    patterns cannot match makes stemming three times faster with the same stems (a test
    compares both on Sastrawi's dictionary with affixes). The patterns are read from the
    rules' source, so a changed Sastrawi release degrades to running every visitor.
    """
    found: set[str] = set()
    for rule in getattr(visitor, "disambiguators", None) or ():
        try:
            source = inspect.getsource(type(rule))
        except (OSError, TypeError):
            return None
        patterns = _RULE_PATTERN.findall(source)
        if not patterns or "re.search" in source or "startswith" in source:
            return None
        for pattern in patterns:
            literal = _literal_start(pattern)
            if not literal:
                return None
            found.add(literal)
    return tuple(sorted(found)) or None


def _literal_start(pattern: str) -> str:
    """The literal letters a ``re.match`` pattern starts with ("^meng([aiueo])" -> "meng")."""
    body = pattern.removeprefix("^")
    out = []
    for i, ch in enumerate(body):
        if not ch.isalpha() or body[i + 1 : i + 2] in ("?", "*", "{"):
            break
        out.append(ch)
    return "".join(out)


_compiled = lru_cache(maxsize=4096)(re.compile)
_LITERAL_RE = re.compile(r"[a-z0-9]+")


class _SastrawiRe:
    """The ``re`` functions Sastrawi calls, same results, faster: its hundred patterns
    kept compiled (they overflow ``re``'s own cache, so each call compiled afresh), and
    its ``re.sub(removed_part, "", word, count=1)`` on a literal part as a plain replace
    (that one pattern differs per word)."""

    IGNORECASE, MULTILINE = re.IGNORECASE, re.MULTILINE

    @staticmethod
    def match(pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return _compiled(pattern, flags).match(string)

    @staticmethod
    def search(pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return _compiled(pattern, flags).search(string)

    @staticmethod
    def sub(pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> str:
        if not flags and _LITERAL_RE.fullmatch(pattern) and "\\" not in repl:
            return string.replace(pattern, repl, count or -1)
        return _compiled(pattern, flags).sub(repl, string, count)


@lru_cache(maxsize=65_536)
def stem_en(word: str) -> str:
    """A light English stem (Porter) of a lower-cased word ("populations" -> "popul")."""
    if len(word) < 4 or not _ALPHA_RE.fullmatch(word):
        return word
    return str(porter_stem(word))
