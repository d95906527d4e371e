"""SANE scanning, image cleanup and OCR of hardcopy pages.

A plain library (no Flask, no other project package), filled by the scanner issue.
"""
