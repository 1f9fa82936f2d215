"""Helpers for the browser tests: build, serve, drive Chromium, check links."""
