"""Importing detail sheets from existing documents (pure: text in, parsed sheets out).

Infra reads the files (txt, docx, pdf, zip) and supplies the word list; nothing here does I/O.
"""
