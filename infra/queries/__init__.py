"""Read-model queries, each SELECT written once, per context."""
