"""Keeps the search index in step with the database (wired in ReportsConfig.ready)."""
