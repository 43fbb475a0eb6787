"""The workspace's delivery settings (admins): working days, holidays, quiet hours, how long
one-click links live, and the webhook with its signing secret."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, workspace_view

from ..delivery_settings import renew_webhook_secret, update_delivery_settings
from ..page_forms import DeliverySettingsForm
from ..queries import delivery_settings_of


@workspace_view("followup.manage_delivery")
def delivery_settings(request):
    current = delivery_settings_of(request.workspace)
    form = DeliverySettingsForm(request.POST or None, initial=DeliverySettingsForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            update_delivery_settings(workspace=request.workspace, actor=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Delivery settings saved. Scheduled follow-up has been planned again."))
            return redirect("followup:delivery_settings")
    return render(request, "followup/delivery_settings.html", {"form": form, "current": current})


@require_POST
@workspace_view("followup.manage_delivery")
def new_secret(request):
    renew_webhook_secret(workspace=request.workspace, actor=request.user)
    messages.success(request, _("The webhook has a new signing secret. Update it where the webhook is received."))
    return redirect("followup:delivery_settings")
