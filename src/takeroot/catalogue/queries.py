"""Reads of the initiative catalogue that pages, imports and the API share."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet

from takeroot.core.models import Workspace
from takeroot.programmes.queries import programme_facts

from .models import Initiative


def initiatives_for_workspace(workspace: Workspace) -> QuerySet[Initiative]:
    # Undated initiatives last on every database (PostgreSQL would put NULLs first).
    return (
        Initiative.objects.filter(workspace=workspace)
        .select_related("programme")
        .prefetch_related("teams", "people__user")
        .order_by(F("starts_on").desc(nulls_last=True), "title", "pk")
    )


@dataclass(frozen=True)
class InitiativeFacts:
    """Dates, head count and cost as the catalogue shows them: from the linked programme when
    there is one, otherwise as entered."""

    starts_on: date | None
    ends_on: date | None
    head_count: int | None
    cost: Decimal | None
    currency: str
    from_programme: bool


def initiative_facts(initiatives: list[Initiative]) -> dict[int, InitiativeFacts]:
    linked = {i.programme for i in initiatives if i.programme is not None}
    by_programme = programme_facts(list(linked)) if linked else {}
    facts = {}
    for initiative in initiatives:
        programme = by_programme.get(initiative.programme_id)
        if programme:
            facts[initiative.pk] = InitiativeFacts(
                programme["starts_on"],
                programme["ends_on"],
                programme["participants"],
                programme["cost"],
                programme["currency"],
                True,
            )
        else:
            # Typed in, or else the people named on it (teams alone give no number).
            head_count = (
                initiative.head_count if initiative.head_count is not None else (len(initiative.people.all()) or None)
            )
            facts[initiative.pk] = InitiativeFacts(
                initiative.starts_on, initiative.ends_on, head_count, initiative.cost, initiative.currency, False
            )
    return facts
