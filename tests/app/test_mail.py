"""Mail over real SMTP (aiosmtpd on loopback) and to the outbox folder; composition
makes every header safe; a mail is stored with the change that caused it."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale

from app.mail import Mail, OutboxMailer, SMTPMailer


class _Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = _Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_smtp_mailer_delivers(smtp_server):
    handler, port = smtp_server
    mailer = SMTPMailer("127.0.0.1", port, "PST <no-reply@example.org>", use_tls=False)
    mailer.send(
        Mail(
            to="budi@example.org",
            subject="Verifikasi alamat email",
            text="Buka tautan: http://localhost/verify/abc",
        )
    )
    ((sender, rcpts, raw),) = handler.messages
    assert sender == "no-reply@example.org"
    assert rcpts == ["budi@example.org"]
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == "Verifikasi alamat email"
    assert "verify/abc" in msg.get_body(("plain",)).get_content()


def test_app_uses_smtp_when_configured(make_app, tmp_path, database_url, smtp_server):
    from helpers import base_config

    _handler, port = smtp_server
    app = make_app(
        {
            **base_config(tmp_path, database_url),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_USE_TLS": False,
        }
    )
    assert isinstance(app.extensions["pst.mailer"], SMTPMailer)


def test_outbox_writes_eml_and_logs_links(tmp_path, caplog):
    caplog.set_level("INFO", logger="app.mail")
    outbox = OutboxMailer(tmp_path / "outbox", "PST <no-reply@example.org>")
    outbox.send(Mail(to="a@example.org", subject="Halo", text="Tautan: http://x/verify/1"))
    (path,) = outbox.messages()
    assert path.suffix == ".eml"
    assert "http://x/verify/1" in caplog.text
    assert not list((tmp_path / "outbox").glob(".*.tmp"))


def _stored(session):
    from sqlalchemy import select

    from app.mail_queue import MailMessage

    return list(session.scalars(select(MailMessage).order_by(MailMessage.id)))


def test_mail_is_stored_with_its_change_and_forgotten_with_a_rollback(session, outbox):
    from app.mail import current_mailer, send_after_commit

    send_after_commit(session, current_mailer(), Mail(to="a@example.org", subject="s", text="t"))
    session.rollback()
    assert _stored(session) == [] and outbox.messages() == []

    send_after_commit(session, current_mailer(), Mail(to="a@example.org", subject="s", text="t"))
    send_after_commit(session, current_mailer(), Mail(to="b@example.org", subject="s", text="t"))
    session.commit()  # the tests run jobs at once: delivered to the outbox now
    assert [m.state for m in _stored(session)] == ["sent", "sent"]
    assert len(outbox.messages()) == 2
    from sqlalchemy import select

    from app.jobs import Job

    # One delivery job per transaction, whatever the number of mails.
    assert len(session.scalars(select(Job).where(Job.name == "mail.deliver")).all()) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Order A-1: paid", "Order A-1: paid"),
        ("Data\r\nBcc: x@evil.example", "Data Bcc: x@evil.example"),
        ("tab\there\x0bvt\x00nul\u2028ls\u0085nel", "tab here vt nul ls nel"),
        ("  spaced   out  ", "spaced out"),
        ("x" * 300, "x" * 199 + "…"),
    ],
)
def test_subjects_are_one_bounded_line(raw, expected):
    from app.mail import single_line

    assert single_line(raw) == expected


@pytest.mark.parametrize(
    "address",
    [
        "a@example.org\r\nBcc: b@example.org",
        "a@example.org, b@example.org",
        "A <a@example.org>",
        "no-at-sign",
        "a@",
        "@example.org",
        "a b@example.org",
        "a@exa\nmple.org",
        "a@exa\x00mple.org",
        "x" * 250 + "@example.org",
        "bü@example.org",  # would need SMTPUTF8
    ],
)
def test_an_address_that_cannot_carry_mail_is_refused_when_written(session, address):
    from app.mail import InvalidRecipient, current_mailer, send_after_commit

    with pytest.raises(InvalidRecipient) as refused:
        send_after_commit(session, current_mailer(), Mail(to=address, subject="s", text="t"))
    assert refused.value.status == 422
    with force_locale("en"):
        assert "address is not valid" in str(refused.value.message)
    session.commit()
    assert _stored(session) == []


def test_header_values_and_file_names_are_one_line(tmp_path):
    outbox = OutboxMailer(tmp_path / "outbox", "PST <no-reply@example.org>")
    outbox.send(
        Mail(
            to="a@example.org",
            subject="Halo\nX-Evil: 1",
            text="t",
            headers={"X-Ref": "A\r\nBcc: b@example.org"},
            attachments=(("surat\r\n.pdf", "application/pdf", b"%PDF-1.4"),),
        )
    )
    (path,) = outbox.messages()
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Halo X-Evil: 1" and msg["X-Evil"] is None
    assert msg["X-Ref"] == "A Bcc: b@example.org" and msg["Bcc"] is None
    (attachment,) = msg.iter_attachments()
    assert attachment.get_filename() == "surat .pdf"


def test_an_international_domain_is_written_in_its_ascii_form(session, outbox):
    from app.mail import current_mailer, send_after_commit

    send_after_commit(session, current_mailer(), Mail(to="budi@exämple.org", subject="s", text="t"))
    session.commit()
    (message,) = _stored(session)
    assert message.recipient == "budi@xn--exmple-cua.org"
    (path,) = outbox.messages()
    assert message_from_bytes(path.read_bytes(), policy=policy.default)["To"] == message.recipient
