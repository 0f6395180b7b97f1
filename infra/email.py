"""Email over SMTP (host, port, STARTTLS or TLS, credentials from settings)."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from infra.settings import Settings


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str = ""
    attachments: tuple[Attachment, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)


def build(settings: Settings, mail: Mail, *, at: datetime | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = str(Address(addr_spec=mail.to))
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(at or datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain="sujarit.local")
    for k, v in mail.headers.items():
        msg[k] = v
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    for a in mail.attachments:
        msg.add_attachment(a.content, maintype=a.maintype, subtype=a.subtype, filename=a.filename)
    return msg


def send_now(settings: Settings, msg: EmailMessage, *, timeout: float = 20.0) -> None:
    """Send one message; raises on any SMTP or network failure (the caller retries)."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.smtp_security == "tls":
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=context)
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)


async def send(settings: Settings, mail: Mail) -> None:
    await asyncio.to_thread(send_now, settings, build(settings, mail))
