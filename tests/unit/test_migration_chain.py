"""The migration chain is linear and numbered in the order it runs: file NNNN_*.py holds
revision NNNN, which revises NNNN-1 (0001 revises nothing)."""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "infra/db/migrations/versions"


def test_chain_is_linear_and_in_file_order() -> None:
    files = sorted(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert files, "no migrations found"
    previous = None
    for number, path in enumerate(files, start=1):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "(\d+)"', text, re.M)
        down = re.search(r'^down_revision = (None|"(\d+)")', text, re.M)
        assert revision and down, path.name
        assert path.name[:4] == revision[1] == f"{number:04d}", path.name
        assert down[2] == previous, f"{path.name} revises {down[1]}, expected {previous}"
        previous = revision[1]
