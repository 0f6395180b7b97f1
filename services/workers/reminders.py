"""Reminder tasks: the scan (beat) and the digests (one per tenant and recipient)."""

from __future__ import annotations
