"""Demo data for tracking."""
