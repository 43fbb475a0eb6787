"""Mail preferences over JSON: the signed-in person's own. They belong to people, so an API key
(which is a workspace, not a person) gets 403."""

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, is_api_key
from takeroot.core.schemas import InputSchema

from .. import preferences as mail_preferences
from ..enums import NonUrgentMail


class PreferenceOut(Schema):
    non_urgent: NonUrgentMail
    optional_mail: bool
    language: str


class PreferenceIn(InputSchema):
    non_urgent: NonUrgentMail
    optional_mail: bool


router = Router()


def _not_a_person(request):
    if is_api_key(request) or not request.user.is_authenticated:
        return Status(403, {"detail": _("Mail preferences belong to people: sign in to read or change yours.")})
    return None


def _out(user) -> dict:
    preference = mail_preferences.preference_for(user)
    return {"non_urgent": preference.non_urgent, "optional_mail": preference.optional_mail, "language": user.language}


@router.get(
    "followup/preferences",
    response={200: PreferenceOut, **READ_ERRORS},
    summary="Your mail preferences (signed in; not for API keys)",
)
def read_preferences(request):
    return _not_a_person(request) or _out(request.user)


@router.put(
    "followup/preferences",
    response={200: PreferenceOut, **WRITE_ERRORS},
    summary="Change your mail preferences: digest or immediate, optional mail on or off",
)
def update_preferences(request, payload: PreferenceIn):
    refused = _not_a_person(request)
    if refused:
        return refused
    mail_preferences.save_preferences(
        user=request.user, non_urgent=payload.non_urgent, optional_mail=payload.optional_mail
    )
    return _out(request.user)
