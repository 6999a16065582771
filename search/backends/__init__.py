"""The search engines behind search/backend.py's SearchBackend: the only code that imports one.

`whoosh/` is the embedded default; `manticore/` speaks SphinxQL to Manticore Search (or
Sphinx 2.2). Everything else reaches them through `search.backend.open_backend`.
"""
