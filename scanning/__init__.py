"""Scanning (SOP-1-01): officers scan printed pages into the catalogue, and readers ask
for scans of some pages of a printed publication, delivered to them only.

A feature of its own: scan batches on disk (:mod:`scanning.pages`), batch services and
the scan and ingest jobs (:mod:`scanning.batches`), readers' scan requests
(:mod:`scanning.requests`), the pages, API and ``pst scan`` bridge. It uses the
catalogue's and the library's services (ingest, softcopy requests, downloads), never
their views; nothing else imports it.
"""
