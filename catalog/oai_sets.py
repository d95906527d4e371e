"""OAI-PMH sets: the publication kinds and the subjects, each under a parent set
(``kind:publication``, ``subject:kependudukan-dan-migrasi``), the sets of a record and
the clause that selects a set's records."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from catalog.models import Kind, Publication, Subject, publication_subjects
from catalog.oai_errors import OaiError

#: Set names are the same in every harvester's language, so they are not translated
#: per request: the office's language, as the records are.
KIND_SETS = {Kind.PUBLICATION: "Publikasi", Kind.BRS: "Berita Resmi Statistik (BRS)"}


def slug(name: str) -> str:
    """``Kependudukan dan Migrasi`` -> ``kependudukan-dan-migrasi`` (a setSpec part)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "subjek"


def all_sets(session: Session) -> list[tuple[str, str]]:
    """Every set as (setSpec, setName): the kinds and the subjects, each under a parent."""
    found = [("kind", "Jenis terbitan")]
    found += [(f"kind:{kind.value}", name) for kind, name in KIND_SETS.items()]
    found.append(("subject", "Subjek"))
    seen: set[str] = set()
    for name in session.scalars(select(Subject.name).order_by(Subject.name)):
        spec = f"subject:{slug(name)}"
        if spec not in seen:  # two names with one slug are one set (see set_clause)
            seen.add(spec)
            found.append((spec, name))
    return found


def record_sets(publication: Publication) -> list[str]:
    specs = [f"kind:{publication.kind.value}"]
    specs += sorted({f"subject:{slug(subject.name)}" for subject in publication.subjects})
    return specs


def set_clause(session: Session, spec: str) -> ColumnElement[bool]:
    if spec == "kind":
        return Publication.kind.in_(list(Kind))
    if spec.startswith("kind:") and spec[5:] in {k.value for k in Kind}:
        return Publication.kind == Kind(spec[5:])
    subjects = select(publication_subjects.c.publication_id)
    if spec == "subject":
        return Publication.id.in_(subjects)
    if spec.startswith("subject:"):
        wanted = spec[len("subject:") :]
        ids = [
            sid
            for sid, name in session.execute(select(Subject.id, Subject.name))
            if slug(name) == wanted
        ]
        if ids:
            return Publication.id.in_(subjects.where(publication_subjects.c.subject_id.in_(ids)))
    # An unknown set has no records (the protocol has no error for it).
    raise OaiError("noRecordsMatch", f"No records in the set {spec}.")
