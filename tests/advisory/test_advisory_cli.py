"""The advisory edges without a request: ``pst advisory remind``/``verify`` and the
reminder job build the settings and read the clock themselves."""

from __future__ import annotations

from datetime import date

from flask import current_app

from advisory import cli, letters
from advisory.models import LetterKind
from advisory.settings import settings_from
from app import jobs
from app.blobs import current_store


def _letter(session):
    content = letters.LetterContent(
        kind=LetterKind.DATA_REQUEST,
        recipient="Dewi Anggraini",
        title="Jumlah UMKM per kecamatan 2024",
        issued_on=date(2026, 11, 25),
        signer_name="Petugas",
        signer_role="Petugas Pelayanan Statistik Terpadu",
        rows=[("Data yang diminta", "Jumlah UMKM per kecamatan 2024")],
        details={},
        reference="K-000001",
    )
    settings = settings_from(current_app.config)
    letter = letters.issue(session, current_store(), content, settings=settings, actor_id=None)
    session.commit()
    return letter


def test_verify_command(app, session):
    letter = _letter(session)
    runner = app.test_cli_runner()
    genuine = runner.invoke(args=["advisory", "verify", letter.number, letter.code])
    assert genuine.exit_code == 0 and genuine.output.strip() == "genuine"
    forged = runner.invoke(args=["advisory", "verify", letter.number, "A" * 16])
    assert forged.exit_code == 1 and forged.output.strip() == "mismatch"


def test_remind_command_and_job(app, session):
    result = app.test_cli_runner().invoke(args=["advisory", "remind"])
    assert result.exit_code == 0 and result.output.strip() == "reminded 0, overdue 0"
    ctx = jobs.JobContext(job_id="remind", session=session)
    assert cli.remind_job(ctx) == {"reminded": 0, "overdue": 0}
