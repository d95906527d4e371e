"""``pst ingest``, ``pst search``, ``pst reindex``, ``pst catalog export/import``."""

from __future__ import annotations

import json

from factories import make_pdf
from sqlalchemy import select

from catalog.models import Publication


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_ingest_prints_json_and_search_finds_it(app, session, tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", ["Pengantar", "Angka kemiskinan Provinsi Bengkulu"])
    meta = tmp_path / "a.json"
    meta.write_text(
        json.dumps(
            {
                "title": "Profil Kemiskinan",
                "pub_no": "17000.2503",
                "rl_date": "2025-07-15",
                "subjects": ["Kemiskinan"],
            }
        )
    )
    result = _cli(app, "ingest", str(pdf), "--meta", str(meta))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output.strip().splitlines()[-1])
    assert printed["pages"] == 2 and len(printed["sha256"]) == 64
    publication = session.get(Publication, printed["id"])
    assert publication.title == "Profil Kemiskinan"
    found = _cli(app, "search", "kemiskinan", "--json")
    data = json.loads(found.output)
    assert data["hits"][0]["id"] == printed["id"] and data["hits"][0]["pages"] == [2]


def test_ingest_rejections_exit_2_with_one_line(app, session, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"PK\x03\x04 a zip file")
    result = _cli(app, "ingest", str(bad))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("rejected:")
    pdf = make_pdf(tmp_path / "ok.pdf", ["isi"])
    assert _cli(app, "ingest", str(pdf)).exit_code == 0
    again = _cli(app, "ingest", str(pdf))
    assert again.exit_code == 2 and again.output.startswith("rejected:")
    bad_meta = tmp_path / "m.json"
    bad_meta.write_text('{"title": "", "access": "gratis"}')
    other = make_pdf(tmp_path / "other.pdf", ["lain"])
    assert _cli(app, "ingest", str(other), "--meta", str(bad_meta)).exit_code == 2
    assert _cli(app, "ingest", str(tmp_path / "missing.pdf")).exit_code == 2
    assert len(session.scalars(select(Publication)).all()) == 1


def test_ingest_several_files_in_one_process(app, session, tmp_path):
    """A batch pays the start-up once; a refused file is reported and the others go on."""
    first = make_pdf(tmp_path / "a.pdf", ["Penduduk Bengkulu"])
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    second = make_pdf(tmp_path / "b.pdf", ["Inflasi Bengkulu"])
    result = _cli(app, "ingest", str(first), str(bad), str(second))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    printed = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(printed) == 2 and sum(line.startswith("rejected:") for line in lines) == 1
    assert len(session.scalars(select(Publication)).all()) == 2
    meta = tmp_path / "m.json"
    meta.write_text('{"title": "Satu judul"}')
    assert _cli(app, "ingest", str(first), str(second), "--meta", str(meta)).exit_code == 2


def test_reindex_and_export_import(app, session, tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", ["Produksi padi"])
    _cli(app, "ingest", str(pdf))
    assert "1 publications indexed" in _cli(app, "reindex").output
    out = tmp_path / "export.json"
    assert _cli(app, "catalog", "export", str(out)).exit_code == 0
    items = json.loads(out.read_text())
    items[0]["title"] = "Luas Panen dan Produksi Padi 2024"
    out.write_text(json.dumps(items))
    result = _cli(app, "catalog", "import", str(out))
    assert result.exit_code == 0 and "1 updated" in result.output
    assert session.scalar(select(Publication.title)) == "Luas Panen dan Produksi Padi 2024"
