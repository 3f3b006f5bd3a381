"""Lagakraftbevis and protokollsutdrag as PDF/A."""
