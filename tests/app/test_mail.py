"""Mail over real SMTP (aiosmtpd on loopback) and to the outbox folder."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

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
    from app import logfilter

    logfilter.install()  # as create_app does
    caplog.set_level("INFO", logger="app.mail")
    outbox = OutboxMailer(tmp_path / "outbox", "PST <no-reply@example.org>")
    outbox.send(Mail(to="a@example.org", subject="Halo", text="Tautan: http://x/verify/1"))
    (path,) = outbox.messages()
    assert path.suffix == ".eml"
    # The link's secret is masked in the log (app.logfilter); the .eml file keeps it.
    assert "http://x/verify/[hidden]" in caplog.text
    assert "http://x/verify/1" in path.read_text()
    assert not list((tmp_path / "outbox").glob(".*.tmp"))


def test_smtp_failure_after_commit_is_logged_not_raised(session, caplog):
    from app.mail import send_after_commit

    dead = SMTPMailer("127.0.0.1", 1, "PST <no-reply@example.org>", use_tls=False, timeout=2)
    send_after_commit(session, dead, Mail(to="a@example.org", subject="s", text="t"))
    session.commit()
    assert "could not send mail" in caplog.text
