"""Protokoll, protokollsutdrag, anslagsbevis and lagakraftbevis as PDF/A."""
