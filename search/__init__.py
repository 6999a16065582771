"""newsarchive: full-text, faceted search for news archives."""
