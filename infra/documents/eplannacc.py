"""The e-PlanNACC export of a round: one row per item, the columns named as that system names
them (``domain.reporting.eplannacc.FIELDS``), as XLSX and as CSV (UTF-8 with a BOM, so Excel
reads the Thai). Text that a spreadsheet could run as a formula stays text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.reporting.eplannacc import FIELDS
from infra.documents.workbook import Book, csv_text, sheet

PROFILE_HEADERS = ("ข้อมูล", "ค่า")


def xlsx(
    rows: Sequence[Sequence[Any]],
    profile: Sequence[Sequence[Any]],
    title: str,
    author: str,
    at: datetime,
) -> bytes:
    """The items' sheet, then the LAO's profile (label, value) on a sheet of its own."""
    wb = Book()
    sheet(wb, "e-PlanNACC", FIELDS, rows)
    sheet(wb, "ข้อมูล อปท.", PROFILE_HEADERS, profile)
    return wb.save(title, author, at)


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(FIELDS)
    for row in rows:
        w.writerow(["" if v is None else csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
