"""Every read-model query, written once, per context: plain async functions taking a
connection already scoped (tenant, reviewer or projector) by the caller."""
