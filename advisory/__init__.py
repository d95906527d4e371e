"""Advisory services (SOP-1-03, SOP-1-04): consultation, data requests and
recommendations for statistical activities planned by other institutions.

Filled by the advisory issue.
"""
