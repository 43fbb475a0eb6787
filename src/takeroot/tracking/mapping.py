"""Turning stored xAPI statements into activity records (the data-in part fills this in)."""

from takeroot.core.models import Workspace


def process_statements(workspace: Workspace, statement_ids: list[int]) -> int:
    """Map the statements' actors, activities and verbs and record their facts; return how many
    statements were processed. Statements whose actor or activity is not mapped stay unprocessed
    and are listed for an admin to map."""
    return 0


def forget_statements(workspace: Workspace, statement_ids: list[int]) -> int:
    """Take voided statements' facts out of the records and rollups; return how many records went."""
    return 0
