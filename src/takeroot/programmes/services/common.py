"""What the programme services share: the editable fields and the workspace check."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from takeroot.core.models import Workspace

PROGRAMME_FIELDS = (
    "name",
    "description",
    "format",
    "currency",
    "price_per_participant",
    "trainer_hourly_rate",
    "trainer_hours",
    "mentor_hourly_rate",
    "mentor_hours",
    "fixed_costs",
    "participant_hours",
)
COHORT_FIELDS = ("name", "starts_on", "ends_on", "midpoint_on")
SESSION_FIELDS = ("title", "starts_at", "ends_at", "place", "online_link", "module")
ACCOMMODATION_FIELDS = (
    "needs_sign_language",
    "needs_captions",
    "needs_screen_reader",
    "needs_extra_time",
    "accommodation_notes",
)


def check_same_workspace(workspace: Workspace, *objects) -> None:
    """Refuse objects of another workspace (a person, team or module picked by id)."""
    for obj in objects:
        if obj is not None and obj.workspace_id != workspace.pk:
            raise ValidationError(_("Everything must belong to the same workspace."))
