"""Sign-in: password hashing, server-side sessions, throttling, accounts."""
