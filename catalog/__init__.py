"""Publications catalogue: BPS metadata, safe PDF ingest and Indonesian full-text search.

Filled by the catalog issue: models of publications and their subjects, the ingest
service behind the officer upload page and ``pst ingest``, and the Whoosh index.
"""
