"""Bilagor: checked type and size, stored privately with their SHA-256."""
