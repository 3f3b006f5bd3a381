"""The baseline of benchmarks/load.py: a minimal Django site (one template, the default middleware, no database)."""
