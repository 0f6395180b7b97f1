"""Reminders: the scheduler's scan (what is due, to whom) and the digest sender."""
