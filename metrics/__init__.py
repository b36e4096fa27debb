"""Metrics: every measure, defined once, judged against the standard in force."""
