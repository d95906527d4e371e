"""Outgoing mail: composed safely, stored with the change that caused it, delivered by a job.

:func:`send_after_commit` composes the message at once (so a bad header is refused while
the service can still say so) and stores it in ``mail_messages`` in the caller's
transaction, with a ``mail.deliver`` job (:mod:`app.mail_queue`). The job, run by the
worker after commit, sends every message that is due, retrying with backoff while the
mail server is unreachable; no request ever waits on SMTP.

The transport is SMTP when ``MAIL_SERVER`` is set, otherwise an outbox folder in the
instance: each message as an ``.eml`` file, its links logged, so that an office without a
mail server (and the test suite) can still verify accounts.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import unicodedata
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, scoped_session

from app import jobs, mail_queue
from app.db import utcnow
from app.errors import PSTError

log = logging.getLogger(__name__)

_LINK = re.compile(r"https?://\S+")
#: Longest subject kept (characters); a longer one is cut with an ellipsis.
SUBJECT_MAX = 200
#: Characters an address may not hold outside a quoted local part (which we do not
#: accept either): white space and the separators of address lists and display names.
_ADDRESS = re.compile(r"^[^\s@<>,;:\"()\[\]\\]+@[^\s@<>,;:\"()\[\]\\]+$")
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")  # RFC 5322 field name: printable, no colon


class InvalidRecipient(PSTError):
    """The recipient's address cannot carry mail (control characters, several
    addresses, no domain…): refused when the mail is written, not dropped later."""

    status = 422
    message = _l(
        "The recipient's email address is not valid, so no mail can be sent to it. "
        "Correct the address first."
    )


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
    """A transport. ``send_raw`` delivers a composed RFC 5322 message (CRLF line
    ends) to one address and raises ``OSError``/``smtplib.SMTPException`` when it
    could not; ``send`` composes and delivers at once (tests and tools)."""

    sender: str

    def send(self, mail: Mail) -> None: ...

    def send_raw(self, to: str, raw: bytes) -> None: ...


# --- composition -----------------------------------------------------------------------


def single_line(value: object, limit: int = SUBJECT_MAX) -> str:
    """``value`` as one header-safe line: line breaks, tabs and every other control or
    line/paragraph separator become spaces, runs of space one, cut at ``limit``.

    A title typed with a line break (or pasted from a document) is ordinary text to
    its author; in a header it would be an injection, which ``EmailMessage`` refuses
    when the message is written — so it is made one line where the subject is built.
    """
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in str(value)
    )
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def checked_address(value: str) -> str:
    """``value`` as one plain ASCII address (``local@domain``, an international domain
    in its IDNA form), or :class:`InvalidRecipient`. Local parts beyond ASCII would
    need SMTPUTF8, which not every server speaks: they are refused."""
    address = value.strip()
    if not _ADDRESS.match(address) or len(address) > 254:
        raise InvalidRecipient()
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise InvalidRecipient()
    if not domain.isascii():
        try:
            address = f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError:
            raise InvalidRecipient() from None
    try:
        parsed = Address(addr_spec=address)
    except (HeaderParseError, ValueError, IndexError):
        raise InvalidRecipient() from None
    if parsed.addr_spec != address or not parsed.domain:
        raise InvalidRecipient()
    return address


def compose(mail: Mail, sender: str) -> bytes:
    """The message as RFC 5322 bytes (CRLF), attachments included; raises
    :class:`InvalidRecipient` for an address that cannot carry mail."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = checked_address(mail.to)
    msg["Subject"] = single_line(mail.subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="pst.local")
    for name, value in mail.headers.items():
        if not _HEADER_NAME.match(name):
            raise ValueError(f"invalid mail header name {name!r}")
        msg[name] = single_line(value, 900)
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    for filename, mimetype, content in mail.attachments:
        maintype, _, subtype = mimetype.partition("/")
        msg.add_attachment(
            content, maintype=maintype, subtype=subtype, filename=single_line(filename, 150)
        )
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


# --- transports ------------------------------------------------------------------------


class OutboxMailer:
    """Writes each message to ``<outbox>/<time>-<id>.eml`` atomically."""

    def __init__(self, path: str | os.PathLike[str], sender: str) -> None:
        self.path = Path(path)
        self.sender = sender

    def send(self, mail: Mail) -> None:
        self.send_raw(mail.to, compose(mail, self.sender))

    def send_raw(self, to: str, raw: bytes) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid1().hex}.eml"  # time-ordered, so a listing reads in order
        tmp = self.path / f".{name}.tmp"
        tmp.write_bytes(raw.replace(b"\r\n", b"\n"))  # a file keeps the system's line ends
        os.replace(tmp, self.path / name)
        body = message_from_bytes(raw, policy=policy.default).get_body(("plain",))
        text = body.get_content() if body is not None else ""
        for link in _LINK.findall(text):
            log.info("outbox mail to %s: %s", to, link)

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
        self.send_raw(mail.to, compose(mail, self.sender))

    def send_raw(self, to: str, raw: bytes) -> None:
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
            smtp.sendmail(parseaddr(self.sender)[1], [to], raw)


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
            timeout=float(cfg.get("MAIL_TIMEOUT_S") or 20),
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
            subject=single_line(subject),
            text=render_template(template, user=user, **context),
            attachments=attachments,
        )


def send_after_commit(
    session: Session | scoped_session[Session], mailer: Mailer, mail: Mail
) -> None:
    """Store ``mail`` in ``session``'s transaction; the worker sends it once that
    transaction has committed (and retries until the server takes it).

    ``mailer`` gives the sender address; delivery goes through the app's configured
    transport. An address that cannot carry mail raises :class:`InvalidRecipient`.
    """
    if not mail.to:
        # A visitor registered at the desk without an email address: there is no one
        # to write to, and the service itself stands.
        return
    sender = getattr(mailer, "sender", None) or str(current_app.config["MAIL_SENDER"])
    raw = compose(mail, sender)
    to = checked_address(mail.to)
    mail_queue.store(session, to=to, subject=single_line(mail.subject), raw=raw)


# --- delivery --------------------------------------------------------------------------


@jobs.job(mail_queue.DELIVER_JOB)
def deliver_job(ctx: jobs.JobContext, **_: Any) -> dict[str, int]:
    """Send every message that is due. Enqueued with each stored mail; the jobs sweeper
    also sends what is due every minute (:func:`_deliver_periodically`)."""
    return {"sent": deliver_pending(ctx.session)}


def deliver_pending(session: Session) -> int:
    """Send what is due now through the app's transport (periodic sweep, CLI)."""
    return mail_queue.deliver_due(session, current_mailer(), utcnow())


@jobs.periodic(mail_queue.DELIVER_JOB, every_seconds=60)
def _deliver_periodically(session: Session) -> None:
    # Mail stored while the queue was unreachable, and retries that came due, go out
    # without a new trigger. Row locks keep several sweeping processes from sending one
    # message twice.
    deliver_pending(session)


jobs.JOB_LABELS.setdefault(mail_queue.DELIVER_JOB, _l("Mail delivery"))
jobs.RESULT_LABELS.setdefault("sent", _l("Mails sent"))
