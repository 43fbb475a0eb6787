"""The wins' periodic job: the monthly digest's draft (imported from ``WinsConfig.ready``)."""

from datetime import timedelta

from takeroot.core.periodic import periodic


@periodic(every=timedelta(hours=24))
def create_wins_digests() -> None:
    """Early each month, the draft digest of the month before, in every workspace with shared wins."""
    from .digests import create_monthly_digests

    create_monthly_digests()
