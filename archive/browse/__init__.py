"""Browsing pages (issue 4): cities, provinces, the city page and their pure helpers.

``views`` is the composition layer; the other modules are pure functions that the
views call and the tests exercise on the seed reports.
"""
