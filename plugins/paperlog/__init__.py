"""paperlog: turn per-paper study notes into a cross-referenced reading-log website."""

from __future__ import annotations

__version__ = "0.1.0"
