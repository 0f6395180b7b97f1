"""The emails of accounts: an invitation and a password reset, in Thai (text and HTML)."""

from __future__ import annotations

from html import escape

from domain.tenancy.members import ROLE_NAMES_TH
from infra.auth.orgs import Org
from infra.email import Mail
from infra.settings import Settings


def _html(lines: list[str], link: str, button: str) -> str:
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return (
        '<!doctype html><html lang="th"><body style="font-family:Sarabun,Tahoma,sans-serif;'
        f'font-size:16px;line-height:1.6">{body}'
        f'<p><a href="{escape(link)}" style="background:#00703c;color:#fff;padding:8px 16px;'
        f'text-decoration:none;font-weight:bold">{escape(button)}</a></p>'
        f"<p>หรือคัดลอกลิงก์นี้ไปเปิดในเบราว์เซอร์:<br>{escape(link)}</p></body></html>"
    )


def invitation(settings: Settings, org: Org, name: str, email: str, role: str, link: str) -> Mail:
    url = f"{settings.base_url}/t/{org.code}/invitation/{link}"
    lines = [
        f"เรียน {name}",
        f"{org.name} เชิญคุณเป็นสมาชิกในระบบสุจริต ในฐานะ{ROLE_NAMES_TH.get(role, role)}",
        "กรุณาตั้งรหัสผ่านภายใน 7 วัน ลิงก์นี้ใช้ได้ครั้งเดียว",
    ]
    return Mail(
        to=email,
        subject=f"คำเชิญเข้าใช้ระบบสุจริต — {org.name}",
        text="\n\n".join([*lines, url, "ถ้าคุณไม่ได้คาดว่าจะได้รับอีเมลนี้ ไม่ต้องทำอะไร"]),
        html=_html(lines, url, "ตั้งรหัสผ่านและเริ่มใช้งาน"),
    )


def password_reset(settings: Settings, org: Org, name: str, email: str, link: str) -> Mail:
    url = f"{settings.base_url}/t/{org.code}/reset/{link}"
    lines = [
        f"เรียน {name}",
        f"มีผู้ขอตั้งรหัสผ่านใหม่สำหรับบัญชีของคุณที่ {org.name} ในระบบสุจริต",
        "ลิงก์นี้ใช้ได้ 2 ชั่วโมงและใช้ได้ครั้งเดียว ถ้าคุณไม่ได้ขอ ไม่ต้องทำอะไร รหัสผ่านเดิมยังใช้ได้",
    ]
    return Mail(
        to=email,
        subject="ตั้งรหัสผ่านใหม่ — ระบบสุจริต",
        text="\n\n".join([*lines, url]),
        html=_html(lines, url, "ตั้งรหัสผ่านใหม่"),
    )
