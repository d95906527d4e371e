"""Fixtures for the library tests: a verified reader, an officer, a publication
(shared with the scanning tests, in tests/pubkit.py)."""

from pubkit import make_publication, officer, publication, reader

__all__ = ["make_publication", "officer", "publication", "reader"]
