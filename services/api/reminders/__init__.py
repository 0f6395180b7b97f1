"""Reminders: a member's delivery choice and what was sent; the executive's policy; the
operator's failed reminders (pages only; no JSON API yet)."""

from __future__ import annotations

from services.api.reminders.pages import ReminderPages

ROUTES = [ReminderPages]
