"""PDF stamping: visible and forensic watermarks on downloaded publications.

A plain library (no Flask, no other project package), filled by the library issue.
"""
