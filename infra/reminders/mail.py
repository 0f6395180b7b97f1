"""The reminder email: Thai subject and body (text and HTML), a link to each step, and an
.ics calendar of the deadlines."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from html import escape

from domain.shared.thai import thai_date
from infra.email import Attachment, Mail
from infra.reminders.scan import Digest, Entry
from infra.settings import Settings


def _when(e: Entry) -> str:
    on = thai_date(date.fromisoformat(e.due_date))
    if e.kind.startswith("before-"):
        return f"ครบกำหนด {on} (อีก {e.kind.split('-')[1]} วัน)"
    if e.kind == "due":
        return f"ครบกำหนดวันนี้ {on}"
    if e.kind.startswith("overdue-"):
        return f"เลยกำหนดมา {e.days_overdue} วัน (กำหนด {on})"
    return f"กำหนด {on}"


def _line(e: Entry) -> str:
    what = f"{e.item} — {e.title}" if e.item else e.title
    return f"{what}: {_when(e)}"


def ics(digest: Digest, entries: list[Entry], stamp: datetime) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sujarit//Reminders//TH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for e in entries:
        on = date.fromisoformat(e.due_date)
        uid = hashlib.sha256(f"{digest.tenant_id}|{e.subject}|{e.due_date}".encode()).hexdigest()
        summary = (f"{e.item} {e.title}" if e.item else e.title).replace(",", "\\,")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid[:32]}@sujarit",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{on.strftime('%Y%m%d')}",
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def reminder_mail(
    settings: Settings, digest: Digest, entries: list[Entry], stamp: datetime
) -> Mail:
    overdue = sum(1 for e in entries if e.kind.startswith("overdue"))
    head = f"เลยกำหนด {overdue} รายการ" if overdue else f"ใกล้ครบกำหนด {len(entries)} รายการ"
    subject = f"[สุจริต] แจ้งเตือน: {head} — {digest.tenant_name}"
    ordered = sorted(entries, key=lambda e: (e.due_date, e.subject))
    text = [f"เรียน {digest.name}", "", f"รายการของ {digest.tenant_name} ที่ต้องดำเนินการ:", ""]
    items_html = []
    for e in ordered:
        url = f"{settings.base_url}{e.link}" if e.link else settings.base_url
        text += [f"- {_line(e)}", f"  {url}"]
        items_html.append(f'<li><a href="{escape(url)}">{escape(_line(e))}</a></li>')
    footer = (
        "ตั้งค่าการรับการแจ้งเตือน (ทันที หรือสรุปวันละครั้ง) ได้ที่ "
        f"{settings.base_url}/t/{digest.tenant_code}/reminders"
    )
    text += ["", footer, "", "ไฟล์ปฏิทิน (.ics) แนบมาพร้อมอีเมลนี้"]
    html = (
        '<!doctype html><html lang="th"><body style="font-family:Sarabun,Tahoma,sans-serif;'
        f'font-size:16px;line-height:1.6"><p>เรียน {escape(digest.name)}</p>'
        f"<p>รายการของ {escape(digest.tenant_name)} ที่ต้องดำเนินการ:</p>"
        f"<ul>{''.join(items_html)}</ul><p>{escape(footer)}</p></body></html>"
    )
    return Mail(
        to=digest.recipient,
        subject=subject,
        text="\n".join(text),
        html=html,
        attachments=(
            Attachment("sujarit-deadlines.ics", ics(digest, ordered, stamp), "text", "calendar"),
        ),
        headers={"X-Sujarit-Reminders": str(len(entries))},
    )
