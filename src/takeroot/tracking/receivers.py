"""Takeroot's own records (check-ins, quiz answers, practice tasks, survey results, tickets,
session attendance) as activity records."""
