"""Titles that people type end up in mail subjects: a line break in one is made a
space when the mail is written, never an injected header or a dropped mail."""

from __future__ import annotations

from advkit import body, mails

from advisory import consultations as svc
from advisory.settings import Settings
from app.blobs import current_store

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()


def test_a_line_break_in_a_title_does_not_drop_the_staff_mail(
    app, session, clock, requester, officer, officer2, outbox
):
    """Finding: "A CR/LF in a title silently drops a staff mail" (the subject with a
    line break raised when the message was written, after commit, and was only logged)."""
    c = svc.create_consultation(
        session,
        current_store(),
        requester=requester,
        subject="Data IPM\r\nBcc: rahasia@example.net\r\n\r\nkabupaten",
        body="Mohon data Indeks Pembangunan Manusia per kabupaten 2020-2024.",
        now=clock.now,
        settings=SETTINGS,
    )
    svc.assign(session, c.id, officer_id=officer2.id, actor=officer, now=clock.now)
    notices = mails(outbox, officer2.email)
    assert len(notices) == 1, "the staff mail was dropped"
    (notice,) = notices
    assert notice["Subject"] == f"{c.reference}: Data IPM Bcc: rahasia@example.net kabupaten"
    assert notice["Bcc"] is None
    assert "rahasia@example.net" not in "".join(notice.get_all("To", []))
    assert "assigned to you" in body(notice)
