"""Browser tests: the real app on a real index, driven through Debian's Chromium."""
