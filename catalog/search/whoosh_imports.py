"""Whoosh and Sastrawi, imported once, with the warnings of their old sources silenced.

Whoosh 2.7.4 (2016) has ``"is" with a literal`` and invalid escape sequences in a few
modules; Python reports them as SyntaxWarning/DeprecationWarning the first time it
compiles those files (no ``.pyc`` yet). Under ``-W error`` (the test suite's setting)
that compile would fail the import, so the imports below run inside
``warnings.catch_warnings()`` ignoring exactly those two compile-time messages. Every
other module of this package takes Whoosh from here.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # Compile-time warnings of Whoosh's own sources, nothing at run time.
    warnings.filterwarnings("ignore", message=r'"is" with a literal', category=SyntaxWarning)
    warnings.filterwarnings("ignore", message=r"invalid escape sequence", category=SyntaxWarning)
    warnings.filterwarnings(
        "ignore", message=r"invalid escape sequence", category=DeprecationWarning
    )
    from Sastrawi.Stemmer.Context.Context import Context as SastrawiContext
    from Sastrawi.Stemmer.Context.Visitor.RemovePlainPrefix import RemovePlainPrefix
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from whoosh import columns, fields, formats, index
    from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.structfile import StructFile
    from whoosh.index import EmptyIndexError, LockError
    from whoosh.lang.porter import stem as porter_stem
    from whoosh.matching.wrappers import FilterMatcher
    from whoosh.multiproc import MpWriter, SubWriterTask
    from whoosh.reading import EmptyReader, MultiReader, SegmentReader
    from whoosh.searching import Searcher
    from whoosh.writing import SegmentWriter

__all__ = [
    "EmptyIndexError",
    "EmptyReader",
    "FileStorage",
    "FilterMatcher",
    "LockError",
    "MpWriter",
    "MultiReader",
    "RemovePlainPrefix",
    "SastrawiContext",
    "Searcher",
    "SegmentReader",
    "SegmentWriter",
    "StemmerFactory",
    "StructFile",
    "SubWriterTask",
    "W3Codec",
    "W3LeafMatcher",
    "columns",
    "fields",
    "formats",
    "index",
    "porter_stem",
]
