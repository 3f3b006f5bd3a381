"""Kallelse (internal and public) as PDF/A."""
