"""Markdown extensions shipped with paperlog (usable in any MkDocs site)."""
