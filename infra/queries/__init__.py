"""Read-model queries: every SELECT the use cases run, written once, as plain async functions
that take a connection (the caller chose the transaction and its scope)."""
