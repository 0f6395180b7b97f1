"""Importing detail sheets: reading files, the Thai word list, the review store."""
