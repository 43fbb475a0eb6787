"""Wins: goals reached and achievements marked, shared by the participant's choice, the feed and the monthly digest."""
