"""The workspace's anonymity thresholds (admins): the fewest responses a group's results are shown
for, and the fewest its free-text comments are shown for."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from takeroot.core.views.helpers import add_service_errors, workspace_view

from .. import instruments
from ..instrument_forms import SurveySettingsForm


@workspace_view("surveys.change_settings")
def survey_settings(request):
    current = instruments.survey_settings_for(request.workspace)
    form = SurveySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            instruments.save_survey_settings(workspace=request.workspace, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Anonymity thresholds saved. They apply to every result from now on."))
            return redirect("surveys:anonymity_settings")
    return render(request, "surveys/settings.html", {"form": form})
