"""Reminders: what is due, to whom, and when (pure rules; the workers do the sending)."""
