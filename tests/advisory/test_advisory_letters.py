"""Numbered letters: the office's pattern, gapless yearly sequences, codes that verify,
forgeries and tampering that do not, and the PDF's text."""

from __future__ import annotations

import hashlib
import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from flask import current_app

from advisory import letters
from advisory.models import Letter, LetterKind
from advisory.settings import Settings, settings_from
from app.blobs import current_store

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()


def configured_settings() -> Settings:
    """The app's own settings (a letter needs its key; some tests change the config)."""
    return settings_from(current_app.config)


def content(title: str = "Survei Status Gizi Balita 2027", day: date = date(2026, 11, 25), **kw):
    return letters.LetterContent(
        kind=kw.pop("kind", LetterKind.RECOMMENDATION),
        recipient=kw.pop("recipient", "Dinas Kesehatan Provinsi Bengkulu"),
        title=title,
        issued_on=day,
        signer_name="Ir. Kepala Kantor",
        signer_role="Kepala Badan Pusat Statistik Provinsi Bengkulu",
        rows=[("Judul kegiatan", title), ("Wilayah", "Kabupaten Rejang Lebong, Kepahiang")],
        details={"region": "Provinsi Bengkulu"},
        reference="R-000001",
    )


def issue(session, **kw) -> Letter:
    letter = letters.issue(
        session, current_store(), content(**kw), settings=configured_settings(), actor_id=None
    )
    session.commit()
    return letter


def test_numbers_follow_the_pattern_and_restart_each_year(app, session):
    app.config["ADVISORY_LETTER_PATTERN"] = "B-{seq:03d}/17000/PS.000/{month_roman}/{year}"
    first = issue(session)
    second = issue(session, title="Survei Lain")
    next_year = issue(session, day=date(2027, 1, 4))
    data = issue(session, kind=LetterKind.DATA_REQUEST)
    assert first.number == "B-001/17000/PS.000/XI/2026"
    assert second.number == "B-002/17000/PS.000/XI/2026"
    assert next_year.number == "B-001/17000/PS.000/I/2027"
    assert data.number == "B-001/1700/PST.100/2026"  # its own sequence and pattern


def test_a_failed_issue_leaves_no_gap(app, session):
    issue(session)
    letters.issue(
        session, current_store(), content(), settings=configured_settings(), actor_id=None
    )
    session.rollback()  # the caller's transaction failed after taking number 2
    assert issue(session).seq == 2


def test_genuine_code_verifies(app, session):
    letter = issue(session)
    result = letters.verify(session, letter.number, letter.code, settings=configured_settings())
    assert result.genuine and result.letter.id == letter.id
    # People type codes in any case, with dashes, and mistake O for 0.
    typed = letters.display_code(letter.code).lower().replace("o", "0")
    assert letters.verify(session, letter.number, typed, settings=configured_settings()).genuine


def test_tampered_code_fails(app, session):
    letter = issue(session)
    flipped = letter.code[:5] + ("A" if letter.code[5] != "A" else "B") + letter.code[6:]
    assert (
        letters.verify(session, letter.number, flipped, settings=configured_settings()).status
        == "mismatch"
    )
    assert (
        letters.verify(
            session, letter.number, letter.code[:-1], settings=configured_settings()
        ).status
        == "mismatch"
    )
    assert (
        letters.verify(session, letter.number, "", settings=configured_settings()).status
        == "mismatch"
    )
    assert (
        letters.verify(session, letter.number, flipped, settings=configured_settings()).letter
        is None
    )  # nothing revealed


def test_forged_number_fails(app, session):
    letter = issue(session)
    other = issue(session, title="Survei Lain")
    forged = letter.number.replace("B-001", "B-009")
    assert (
        letters.verify(session, forged, letter.code, settings=configured_settings()).status
        == "unknown"
    )
    # A genuine code copied onto another genuine number does not carry over.
    assert (
        letters.verify(session, other.number, letter.code, settings=configured_settings()).status
        == "mismatch"
    )


def test_a_row_changed_after_issue_fails(app, session):
    letter = issue(session)
    letter.title = "Survei Status Gizi Balita 2028"
    session.commit()
    assert (
        letters.verify(session, letter.number, letter.code, settings=configured_settings()).status
        == "mismatch"
    )


def test_codes_depend_on_the_key(app, session):
    letter = issue(session)
    number, code = letter.number, letter.code
    app.config["ADVISORY_LETTER_KEY"] = "a-dedicated-letter-key"
    assert (
        letters.verify(session, number, code, settings=configured_settings()).status == "mismatch"
    )
    app.config["ADVISORY_LETTER_KEY"] = None
    assert letters.verify(session, number, code, settings=configured_settings()).genuine


def test_pdf_text_and_hash(app, session, tmp_path: Path):
    letter = issue(session, title="Survei Kepuasan Pasien RSUD — Rumah Sakit Umum Daerah")
    with current_store().open(letter.pdf_key) as fh:
        pdf = fh.read()
    assert hashlib.sha256(pdf).hexdigest() == letter.pdf_sha256 == letter.pdf_key
    assert len(pdf) == letter.pdf_size
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert letter.number in flat
    assert "Rekomendasi Kegiatan Statistik" in flat
    assert "Dinas Kesehatan Provinsi Bengkulu" in flat
    assert "Survei Kepuasan Pasien RSUD — Rumah Sakit Umum Daerah" in flat
    assert "25 November 2026" in flat
    assert letters.display_code(letter.code) in flat
    assert "/letters/verify/" in flat
    assert letters.file_matches(letter, io.BytesIO(pdf), 10 * 1024 * 1024)
    assert not letters.file_matches(letter, io.BytesIO(pdf + b" "), 10 * 1024 * 1024)
    assert not letters.file_matches(letter, io.BytesIO(pdf), 100)  # too large: not read


def test_data_request_letter_text(app, session, tmp_path: Path):
    letter = issue(
        session, kind=LetterKind.DATA_REQUEST, title="Jumlah penduduk miskin per kecamatan 2024"
    )
    path = tmp_path / "data.pdf"
    with current_store().open(letter.pdf_key) as fh:
        path.write_bytes(fh.read())
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "SURAT PERMINTAAN DATA" in text and letter.number in text
    assert letters.filename(letter) == "Surat-Permintaan-Data-B-001-1700-PST.100-2026.pdf"


def test_a_letter_that_cannot_be_drawn_is_refused_cleanly(app, session, monkeypatch, caplog):
    import pytest

    from advisory.errors import LetterNotIssued

    def broken(*args, **kwargs):
        raise ValueError("Flowable too large")

    monkeypatch.setattr(letters, "render_pdf", broken)
    with pytest.raises(LetterNotIssued):
        letters.issue(
            session, current_store(), content(), settings=configured_settings(), actor_id=None
        )
    session.rollback()
    assert "could not be drawn or stored" in caplog.text
    monkeypatch.undo()
    assert issue(session).seq == 1  # the number went back with the rollback


def test_the_head_approves_again_after_a_letter_failed(
    app, session, clock, requester, officer, head, monkeypatch
):
    """Issue 15: a letter that could not be drawn made the approval a 500 and left the
    head nothing to do. Now nothing changes and approving again is the retry."""
    import pytest
    from advkit import FS3
    from test_advisory_recommendations import ALL_CHECKED

    from advisory import recommendations as svc
    from advisory.errors import LetterNotIssued
    from advisory.models import RecommendationStatus

    r = svc.create_draft(session, requester=requester, fields=FS3, now=clock.now)
    svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    svc.review(
        session, r.id, actor=officer, outcome="pass", checklist=ALL_CHECKED, note="", now=clock.now
    )
    monkeypatch.setattr(letters, "render_pdf", lambda *a, **k: 1 / 0)
    with pytest.raises(LetterNotIssued):
        svc.approve(
            session,
            current_store(),
            r.id,
            actor=head,
            now=clock.now,
            settings=configured_settings(),
        )
    session.expire_all()
    assert svc.get_recommendation(session, r.id, head).status == RecommendationStatus.PASSED
    monkeypatch.undo()
    letter = svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    assert letter.seq == 1
    assert svc.get_recommendation(session, r.id, head).status == RecommendationStatus.APPROVED


def test_the_letter_key_is_never_shown_nor_empty(app, session):
    settings = configured_settings()
    assert settings.letter_key
    assert repr(settings.letter_key) not in repr(settings) and "letter_key" not in repr(settings)
    # A Settings built by hand has no key: it refuses to sign rather than use an empty one.
    with pytest.raises(ValueError, match="no letter key"):
        letters.issue(session, current_store(), content(), settings=Settings(), actor_id=None)
