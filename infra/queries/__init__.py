"""Read-model queries, each SELECT written once, per context (plain async functions taking a
connection)."""
