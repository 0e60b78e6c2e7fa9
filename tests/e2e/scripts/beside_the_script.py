"""Imported by imports_neighbours.py from the script's own folder."""

GREETING = "hello from beside the script"
