"""The tracking periodic jobs."""
