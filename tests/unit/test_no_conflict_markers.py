"""No file the project tracks carries a merge's conflict markers (one once sat in public.css,
where the browser silently dropped the rule after it)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKERS = ("<<<<<<< ", ">>>>>>> ")


def test_no_conflict_markers() -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    found = []
    for name in filter(None, files):
        path = ROOT / name.decode()
        if not path.is_file() or path.suffix in (".pdf", ".png", ".docx", ".xlsx", ".ttf", ".zip"):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.startswith(MARKERS) or line == "=======":
                found.append(f"{name.decode()}:{number}")
    assert not found, found
