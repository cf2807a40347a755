"""Helpers shared by the CSV exports."""


def csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas (OWASP "CSV injection"): cells hold uploaded text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
