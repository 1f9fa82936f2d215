"""Browser tests: the demo site in Chromium (see conftest.py)."""
