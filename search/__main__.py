"""`python -m search`: the newsarchive command line."""

from search.cli import main

main()
