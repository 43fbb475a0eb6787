"""The rater's side: the rating page and the home-page panel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from takeroot.core.views.helpers import get_or_404, require_perm, workspace_view

from .. import services
from ..forms import RatingForm
from ..queries import (
    initiatives_under_review,
    open_invitations_for_person,
    rater_for_user,
    ratings_of,
    retrospectives_for_workspace,
)


def _show_errors(forms_by_uuid: dict, form_errors: list, error: ValidationError) -> None:
    """Each of the service's problems next to its field on the right initiative."""
    if not hasattr(error, "error_dict"):
        form_errors.extend(error.messages)
        return
    for key, messages_ in error.message_dict.items():
        uuid, _sep, field = key.partition(":")
        form = forms_by_uuid.get(uuid)
        if form is None:
            form_errors.extend(messages_)
            continue
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@workspace_view()
def rate(request, uuid):
    """One fieldset per initiative under review; "Save" keeps working, "I am done" submits."""
    retrospective = get_or_404(retrospectives_for_workspace(request.workspace), uuid=uuid)
    require_perm(request, "retrospectives.view_retrospective", retrospective)
    rater = rater_for_user(retrospective, request.user)
    if rater is None:
        raise PermissionDenied
    rater.retrospective = retrospective
    initiatives = initiatives_under_review(retrospective)
    ratings = {rating.initiative_id: rating for rating in ratings_of(retrospective, rater=rater)}
    posted = request.method == "POST"
    forms = [
        RatingForm(
            request.POST if posted else None,
            initial=RatingForm.initial_from(ratings.get(initiative.pk)),
            prefix=f"i-{initiative.uuid}",
            initiative=initiative,
        )
        for initiative in initiatives
    ]
    if not retrospective.is_open:
        for form in forms:
            for field in form.fields.values():
                field.disabled = True
    form_errors: list[str] = []
    if posted:
        if all(form.is_valid() for form in forms):
            done = request.POST.get("action") == "submit"
            try:
                with transaction.atomic():
                    services.save_ratings(rater=rater, answers={form.initiative: form.answer() for form in forms})
                    if done:
                        services.submit_ratings(rater=rater)
            except ValidationError as error:
                _show_errors({str(form.initiative.uuid): form for form in forms}, form_errors, error)
            else:
                if done:
                    messages.success(
                        request, _("Thank you. Your answers are in; you can still change them while it is open.")
                    )
                    return redirect("retrospectives:retrospective_list")
                messages.success(request, _("Saved. Come back any time to finish."))
                return redirect("retrospectives:rate", uuid=retrospective.uuid)
        if not form_errors:
            form_errors.append(_("Some answers have problems; nothing was saved. They are marked below."))
    rows = list(zip(initiatives, forms, strict=True))
    return render(
        request,
        "retrospectives/rate.html",
        {"retrospective": retrospective, "rater": rater, "rows": rows, "form_errors": form_errors},
    )


def home_panel(request):
    """Open retrospectives that ask for this person's view and are not yet answered."""
    if request.person is None:
        return None
    invitations = list(open_invitations_for_person(request.person))
    if not invitations:
        return None
    return "retrospectives/_home_panel.html", {"invitations": invitations}
