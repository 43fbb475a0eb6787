"""The follow-up design pages of a programme: the timeline of steps, the step editor, the
preview for one participant with real dates, and a test send to yourself.

The programme is looked up in the workspace (else 404); admins and trainers may design
(``followup.view_designs`` / ``followup.manage_designs``, else 403)."""

import uuid as uuid_module

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Programme
from takeroot.programmes.queries import programmes_for_workspace

from .. import designs
from ..channels import DeliveryError
from ..enums import REPEATING_KINDS
from ..forms import PreviewForm, StepForm, placeholders
from ..models import Design, Step

VIEW = "followup.view_designs"
MANAGE = "followup.manage_designs"


def _programme(request, uuid) -> Programme:
    return get_or_404(programmes_for_workspace(request.workspace), uuid=uuid)


def _design(request, uuid, perm: str = MANAGE) -> tuple[Programme, Design]:
    """The programme and its design (404 without one), if the rule allows (else 403)."""
    programme = _programme(request, uuid)
    design = get_or_404(designs.designs_for_workspace(request.workspace), programme=programme)
    require_perm(request, perm, design)
    return programme, design


def _uuid(value) -> uuid_module.UUID:
    """A UUID from the path or a form, or 404 like any unknown id."""
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        raise Http404 from None


def _step(design: Design, step_uuid) -> Step:
    return get_or_404(Step.objects.filter(design=design), uuid=_uuid(step_uuid))


def _to_design(programme: Programme, step: Step | None = None):
    url = reverse("followup:design", args=[programme.uuid])
    return redirect(f"{url}#step-{step.uuid}" if step else url)


def badges(step: Step) -> list[str]:
    """The step's conditions and flags as short words for the timeline."""
    words = []
    if step.essential:
        words.append(_("essential"))
    if step.kind in REPEATING_KINDS:
        if step.repeat_every_days:
            words.append(_("every %(days)s days") % {"days": step.repeat_every_days})
        else:
            words.append(_("at the participant's cadence"))
        if step.repeat_for_days:
            words.append(_("for %(days)s days") % {"days": step.repeat_for_days})
    if step.if_no_check_in_days:
        words.append(_("if no check-in in %(days)s days") % {"days": step.if_no_check_in_days})
    if step.if_quiz_score_below:
        words.append(_("if the last quiz score was below %(score)s %%") % {"score": step.if_quiz_score_below})
    if step.only_if_plan_not_approved:
        words.append(_("if the plan is not approved"))
    if step.stop_when_plan_done:
        words.append(_("stops when the plan is done"))
    return words


@workspace_view(VIEW)
def design(request, uuid):
    """The programme's follow-up design as a timeline, or the choice of how to start one."""
    programme = _programme(request, uuid)
    design_obj = designs.design_of(programme)
    require_perm(request, VIEW, design_obj or request.workspace)
    language = translation.get_language()
    rows = []
    if design_obj is not None:
        steps = designs.timeline(design_obj)
        for index, step in enumerate(steps):
            rows.append(
                {
                    "step": step,
                    # As written, placeholders included: the designer edits these texts.
                    "subject": step.text_for(language).get("subject") or step.get_kind_display(),
                    "badges": badges(step),
                    "can_up": index > 0 and designs.same_day(step, steps[index - 1]),
                    "can_down": index + 1 < len(steps) and designs.same_day(step, steps[index + 1]),
                }
            )
    return render(
        request,
        "followup/design_detail.html",
        {
            "programme": programme,
            "design": design_obj,
            "rows": rows,
            "can_manage": request.user.has_perm(MANAGE, design_obj or request.workspace),
            "copyable": designs.copyable_designs(request.user, programme) if design_obj is None else [],
        },
    )


@require_POST
@workspace_view(MANAGE)
def design_create(request, uuid):
    programme = _programme(request, uuid)
    try:
        if request.POST.get("start") == "copy":
            sources = designs.copyable_designs(request.user, programme)
            source = get_or_404(sources, uuid=_uuid(request.POST.get("copy_from")))
            designs.copy_design(design=source, programme=programme, actor=request.user)
        else:
            designs.create_design(
                programme=programme, actor=request.user, from_default=request.POST.get("start") == "default"
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up design created."))
    return _to_design(programme)


@workspace_view(MANAGE)
def design_delete(request, uuid):
    programme, design_obj = _design(request, uuid)
    error = None
    if request.method == "POST":
        try:
            designs.delete_design(design=design_obj, actor=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("Follow-up design deleted."))
            return _to_design(programme)
    return render(
        request,
        "followup/design_delete.html",
        {"programme": programme, "object": design_obj, "error": error},
    )


@workspace_view(MANAGE)
def step_edit(request, uuid, step=None):
    programme, design_obj = _design(request, uuid)
    step_obj = _step(design_obj, step) if step else None
    form = StepForm(request.POST or None, step=step_obj, design=design_obj)
    if request.method == "POST" and form.is_valid():
        try:
            if step_obj is None:
                step_obj = designs.add_step(design=design_obj, actor=request.user, **form.service_fields())
            else:
                designs.update_step(step=step_obj, actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step saved."))
            return _to_design(programme, step_obj)
    return render(
        request,
        "followup/step_form.html",
        {
            "programme": programme,
            "design": design_obj,
            "step": step_obj,
            "form": form,
            "placeholders": placeholders(),
        },
    )


@require_POST
@workspace_view(MANAGE)
def step_move(request, uuid, step):
    programme, design_obj = _design(request, uuid)
    step_obj = _step(design_obj, step)
    designs.move_step(step=step_obj, actor=request.user, up=request.POST.get("direction") == "up")
    return _to_design(programme, step_obj)


@workspace_view(MANAGE)
def step_delete(request, uuid, step):
    programme, design_obj = _design(request, uuid)
    step_obj = _step(design_obj, step)
    error = None
    if request.method == "POST":
        try:
            designs.delete_step(step=step_obj, actor=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("Step deleted."))
            return _to_design(programme)
    return render(
        request,
        "followup/step_delete.html",
        {"programme": programme, "object": step_obj, "error": error},
    )


def _preview_choice(request, programme):
    """The chosen cohort and enrolment (defaults: the next or
    latest cohort and its first participant), and the choice form."""
    cohorts = list(designs.preview_cohorts(programme))
    chosen = {str(c.uuid): c for c in cohorts}.get(request.GET.get("cohort", ""))
    cohort = chosen or designs.default_preview_cohort(cohorts)
    enrolments = list(designs.preview_enrolments(cohort)) if cohort else []
    enrolment = {str(e.uuid): e for e in enrolments}.get(request.GET.get("enrolment", ""))
    enrolment = enrolment or (enrolments[0] if enrolments else None)
    form = PreviewForm(
        initial={"cohort": cohort and str(cohort.uuid), "enrolment": enrolment and str(enrolment.uuid)},
        cohorts=cohorts,
        enrolments=enrolments,
    )
    return cohort, enrolment, form


@workspace_view(MANAGE)
def preview(request, uuid):
    """The whole timeline one participant of a cohort would get, with the real dates in the
    viewer's time zone, and a test send of each step to the viewer."""
    programme, design_obj = _design(request, uuid)
    cohort, enrolment, form = _preview_choice(request, programme)
    rows = designs.preview(enrolment, design=design_obj) if enrolment else []
    return render(
        request,
        "followup/design_preview.html",
        {
            "programme": programme,
            "design": design_obj,
            "cohort": cohort,
            "enrolment": enrolment,
            "form": form,
            "rows": rows,
            "has_steps": design_obj.steps.exists(),
        },
    )


@require_POST
@workspace_view(MANAGE)
def test_send(request, uuid):
    """Send one step, rendered for the chosen participant, to the signed-in person at once."""
    from .. import delivery

    programme, design_obj = _design(request, uuid)
    step_obj = _step(design_obj, request.POST.get("step", ""))
    enrolments = designs.preview_enrolments_of_programme(programme)
    enrolment = get_or_404(enrolments, uuid=_uuid(request.POST.get("enrolment", "")))
    try:
        delivery.send_test(step=step_obj, enrolment=enrolment, to=request.user)
    except DeliveryError as error:
        messages.error(request, _("The test could not be sent: %(error)s") % {"error": error})
    else:
        messages.success(request, _("Sent to %(email)s.") % {"email": request.user.email})
    url = reverse("followup:design_preview", args=[programme.uuid])
    return redirect(f"{url}?cohort={enrolment.cohort.uuid}&enrolment={enrolment.uuid}")
