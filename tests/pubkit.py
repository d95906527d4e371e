"""Fixtures shared by the library and scanning tests: a verified reader, an officer and
catalogued publications (rows only). Each folder's conftest imports them."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from factories import user

from app.accounts.models import Role
from catalog.models import Publication

_seq = itertools.count(1)


@pytest.fixture
def reader(session):
    return user(session)


@pytest.fixture
def officer(session):
    return user(session, role=Role.OFFICER)


def _make_publication(session, **fields):
    n = next(_seq)
    digest = hashlib.sha256(f"publication {n}".encode()).hexdigest()
    values = {
        "title": f"Statistik Daerah Provinsi Bengkulu {2000 + n}",
        "printed": True,
        "page_count": 2,
        "file_size": 1000,
        "sha256": digest,
        "original_key": digest,
        "master_key": digest,
    }
    values.update(fields)
    publication = Publication(**values)
    session.add(publication)
    session.commit()
    return publication


@pytest.fixture
def make_publication(session):
    """Make a catalogued publication as a row only (no stored file: nothing here reads it)."""
    return lambda **fields: _make_publication(session, **fields)


@pytest.fixture
def publication(make_publication):
    return make_publication()
