"""The provincial office's review of an LAO: comments and revision requests."""
