"""What optional follow-up mail an account wants, and one-click unsubscribing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from takeroot.core.models import User

from .enums import NonUrgentMail
from .models import Preference


def preference_for(user: User) -> Preference:
    """The account's mail preference; an unsaved one with the defaults when none was saved."""
    return Preference.objects.filter(user=user).first() or Preference(
        user=user, non_urgent=NonUrgentMail.IMMEDIATE, optional_mail=True
    )


def save_preferences(*, user: User, non_urgent: str, optional_mail: bool) -> Preference:
    """Keep the account's choice of digest or immediate mail and of optional mail.

    Side effects: creates the preference row on the first save."""
    if non_urgent not in NonUrgentMail.values:
        raise ValidationError({"non_urgent": _("Choose how non-urgent messages reach you.")})
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"non_urgent": non_urgent, "optional_mail": bool(optional_mail)}
    )
    return preference


def optional_mail_headers(user: User) -> dict | None:
    """The core mail policy for optional mail: None when the account turned it off, else the
    one-click unsubscribe headers it carries."""
    if not preference_for(user).optional_mail:
        return None
    from .links import unsubscribe_headers

    return unsubscribe_headers(user)


def unsubscribe(*, user: User) -> Preference:
    """Turn off optional mail for the account (essential programme messages still come)."""
    preference = preference_for(user)
    return save_preferences(user=user, non_urgent=preference.non_urgent, optional_mail=False)
