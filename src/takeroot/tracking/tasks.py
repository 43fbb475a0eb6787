"""The tracking worker tasks: thin; the work is in the services they call."""

import datetime


def enqueue_risk_evaluation(*, workspace_id: int, enrolment_ids: list[int], now: datetime.datetime) -> None:
    """Queue an at-risk evaluation of these enrolments when the transaction commits."""
    # == risk == (filled in by the at-risk part)
