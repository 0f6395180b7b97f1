"""Server-rendered pages (Thai first)."""
