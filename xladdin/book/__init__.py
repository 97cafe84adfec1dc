"""The bodies of the one-click buttons (:mod:`xladdin.scripts`), over a book open in Excel."""
