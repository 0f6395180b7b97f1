"""A local mail catcher for development (``sujarit run``): an SMTP server that keeps every
message it receives as a .eml file under ``<data dir>/mail`` and prints a line for each, with
the links it holds, so a person can read the invitations and reminders the service sends."""

from __future__ import annotations

import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

_LINK = re.compile(r"https?://\S+")


class _Keep:
    def __init__(self, folder: Path, echo: bool) -> None:
        self.folder, self.echo, self.count = folder, echo, 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        raw: bytes = envelope.original_content or envelope.content
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{self.count:05d}.eml"
        (self.folder / name).write_bytes(raw)
        if self.echo:
            msg = message_from_bytes(raw, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            body = msg.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            links = " ".join(_LINK.findall(text))
            print(f"[mail] to {msg['To']}: {msg['Subject']} {links}".rstrip(), flush=True)
        return "250 OK"


def start(folder: Path, host: str = "127.0.0.1", port: int = 1025, echo: bool = True) -> Controller:
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(_Keep(folder, echo), hostname=host, port=port)
    controller.start()
    return controller


def main(folder: Path, host: str, port: int) -> None:
    controller = start(folder, host, port)
    print(f"mail catcher on {host}:{port}, messages in {folder}/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
