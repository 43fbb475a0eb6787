"""The signed-in person's mail preferences: digest or immediate for non-urgent messages, and
whether optional mail comes at all. They belong to the account, whatever the workspace."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from takeroot.core.views.helpers import add_service_errors

from .. import preferences as mail_preferences
from ..enums import NonUrgentMail


class PreferenceForm(forms.Form):
    non_urgent = forms.ChoiceField(
        label=gettext_lazy("Non-urgent messages"), choices=NonUrgentMail.choices, widget=forms.RadioSelect
    )
    optional_mail = forms.BooleanField(
        label=gettext_lazy("Receive optional mail"),
        required=False,
        help_text=gettext_lazy("Reminders, learning material and tips that are not essential to your programme."),
    )


@login_required
def preferences(request):
    """The account's own preferences: nobody else's are reachable here."""
    current = mail_preferences.preference_for(request.user)
    initial = {"non_urgent": current.non_urgent, "optional_mail": current.optional_mail}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mail_preferences.save_preferences(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your mail preferences were saved."))
            return redirect("followup:preferences")
    return render(request, "followup/preferences.html", {"form": form})
