"""Peer learning: pairs and small groups in a cohort, cohort and group discussion threads, team training ambassadors."""
