"""Outgoing mail: SMTP when configured, otherwise an outbox folder in the instance.

The outbox keeps each message as an ``.eml`` file and logs the links it contains, so
that an office without a mail server (and the test suite) can still verify accounts.
Messages are sent after commit (:func:`send_after_commit`), never mid-transaction.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy.orm import Session

from app.uow import after_commit

log = logging.getLogger(__name__)

_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # (file name, MIME type such as "application/pdf", content)
    attachments: tuple[tuple[str, str, bytes], ...] = ()


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


def _compose(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="pst.local")
    for name, value in mail.headers.items():
        msg[name] = value
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    for filename, mimetype, content in mail.attachments:
        maintype, _, subtype = mimetype.partition("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg


class OutboxMailer:
    """Writes each message to ``<outbox>/<time>-<id>.eml`` atomically."""

    def __init__(self, path: str | os.PathLike[str], sender: str) -> None:
        self.path = Path(path)
        self.sender = sender

    def send(self, mail: Mail) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        msg = _compose(mail, self.sender)
        name = f"{uuid.uuid1().hex}.eml"  # time-ordered, so a listing reads in order
        tmp = self.path / f".{name}.tmp"
        tmp.write_bytes(bytes(msg))
        os.replace(tmp, self.path / name)
        for link in _LINK.findall(mail.text):
            log.info("outbox mail to %s: %s", mail.to, link)

    def messages(self) -> list[Path]:
        """Stored messages, oldest first."""
        if not self.path.exists():
            return []
        return sorted(self.path.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)


class SMTPMailer:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = True,
        use_ssl: bool = False,
        timeout: float = 20.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.use_tls, self.use_ssl, self.timeout = use_tls, use_ssl, timeout

    def send(self, mail: Mail) -> None:
        msg = _compose(mail, self.sender)
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.use_tls and not self.use_ssl:
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(msg)


def init_app(app: Flask) -> None:
    cfg = app.config
    mailer: Mailer
    if cfg.get("MAIL_SERVER"):
        mailer = SMTPMailer(
            cfg["MAIL_SERVER"],
            int(cfg["MAIL_PORT"]),
            cfg["MAIL_SENDER"],
            username=cfg.get("MAIL_USERNAME"),
            password=cfg.get("MAIL_PASSWORD"),
            use_tls=bool(cfg.get("MAIL_USE_TLS")),
            use_ssl=bool(cfg.get("MAIL_USE_SSL")),
        )
    else:
        mailer = OutboxMailer(cfg["MAIL_OUTBOX_PATH"], cfg["MAIL_SENDER"])
    app.extensions["pst.mailer"] = mailer


def current_mailer() -> Mailer:
    mailer: Mailer = current_app.extensions["pst.mailer"]
    return mailer


def mail_to(user: Any, subject: Any, template: str, **context: Any) -> Mail:
    """A mail to ``user`` in their own language (else the office's): ``subject`` is a
    lazy translated string, ``template`` a text template rendered with ``user`` and
    ``context``. Attachments go in ``context["attachments"]``."""
    from flask import render_template
    from flask_babel import force_locale

    attachments = tuple(context.pop("attachments", ()))
    with force_locale(user.locale or str(current_app.config["DEFAULT_LOCALE"])):
        return Mail(
            to=user.email,
            subject=str(subject),
            text=render_template(template, user=user, **context),
            attachments=attachments,
        )


def send_after_commit(session: Session, mailer: Mailer, mail: Mail) -> None:
    """Send ``mail`` once the session's transaction has committed."""

    def _send() -> None:
        if not mail.to:
            # A visitor registered at the desk without an email address: there is no one
            # to write to, and the service itself stands.
            return
        try:
            mailer.send(mail)
        except (OSError, smtplib.SMTPException):
            # The account change stands; the person can ask for the mail again.
            log.exception("could not send mail %r", mail.subject)

    after_commit(session, _send)
