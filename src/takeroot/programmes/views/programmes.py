"""Programme pages for admins and trainers: list, detail, editor, modules, goals, copy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from .. import services
from ..forms import CopyForm, ModuleForm, ProgrammeForm, ProgrammeGoalForm
from ..models import Module, Programme, ProgrammeGoal
from ..queries import cohorts_for_workspace, programmes_for_workspace
from ..queries import programme_detail as programme_detail_query

MANAGE = "programmes.manage_programmes"


def _programme(request, uuid) -> Programme:
    return get_or_404(programme_detail_query(request.workspace), uuid=uuid)


def _fresh(obj):
    """A second copy for a ModelForm to validate, so the service sees what changed."""
    return type(obj).objects.get(pk=obj.pk)


@workspace_view("programmes.list_programmes")
def programme_list(request):
    programmes = programmes_for_workspace(request.workspace).prefetch_related("cohorts")
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@workspace_view(MANAGE)
def programme_create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(workspace=request.workspace, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme created. Add its modules and goals next."))
            return redirect("programmes:programme_detail", uuid=programme.uuid)
    return render(request, "programmes/programme_form.html", {"form": form})


@workspace_view("programmes.list_programmes")
def programme_detail(request, uuid):
    programme = _programme(request, uuid)
    cohorts = cohorts_for_workspace(request.workspace).filter(programme=programme)
    return render(request, "programmes/programme_detail.html", {"programme": programme, "cohorts": cohorts})


@workspace_view(MANAGE)
def programme_edit(request, uuid):
    programme = _programme(request, uuid)
    form = ProgrammeForm(request.POST or None, instance=_fresh(programme))
    if request.method == "POST" and form.is_valid():
        services.update_programme(programme=programme, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("programmes:programme_detail", uuid=programme.uuid)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@workspace_view(MANAGE)
def programme_copy(request, uuid):
    programme = _programme(request, uuid)
    form = CopyForm(request.POST or None, initial={"name": _("%(name)s (copy)") % {"name": programme.name}})
    if request.method == "POST" and form.is_valid():
        copy = services.copy_programme(programme=programme, actor=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Copied. You are now editing the copy."))
        return redirect("programmes:programme_detail", uuid=copy.uuid)
    return render(request, "programmes/copy.html", {"form": form, "original": programme})


@workspace_view(MANAGE)
def programme_delete(request, uuid):
    programme = _programme(request, uuid)
    error = None
    if request.method == "POST":
        try:
            services.delete_programme(programme=programme, actor=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("Programme deleted."))
            return redirect("programmes:programme_list")
    return render(request, "programmes/confirm_delete.html", {"object": programme, "error": error, "back": programme})


@workspace_view(MANAGE)
def module_edit(request, uuid, module=None):
    programme = _programme(request, uuid)
    module_obj = get_or_404(Module.objects.filter(programme=programme), uuid=module) if module else None
    form = ModuleForm(request.POST or None, module=module_obj)
    if request.method == "POST" and form.is_valid():
        services.save_module(programme=programme, actor=request.user, module=module_obj, **form.service_fields())
        messages.success(request, _("Module saved."))
        return redirect("programmes:programme_detail", uuid=programme.uuid)
    return render(request, "programmes/module_form.html", {"form": form, "programme": programme, "module": module_obj})


@require_POST
@workspace_view(MANAGE)
def module_move(request, uuid, module):
    programme = _programme(request, uuid)
    module_obj = get_or_404(Module.objects.filter(programme=programme), uuid=module)
    services.move_module(module=module_obj, actor=request.user, up=request.POST.get("direction") == "up")
    return redirect("programmes:programme_detail", uuid=programme.uuid)


@workspace_view(MANAGE)
def module_delete(request, uuid, module):
    programme = _programme(request, uuid)
    module_obj = get_or_404(Module.objects.filter(programme=programme), uuid=module)
    if request.method == "POST":
        services.delete_module(module=module_obj, actor=request.user)
        messages.success(request, _("Module deleted."))
        return redirect("programmes:programme_detail", uuid=programme.uuid)
    return render(request, "programmes/confirm_delete.html", {"object": module_obj, "back": programme})


@workspace_view(MANAGE)
def goal_edit(request, uuid, goal=None):
    programme = _programme(request, uuid)
    goal_obj = get_or_404(ProgrammeGoal.objects.filter(programme=programme), uuid=goal) if goal else None
    initial = (
        {"text": goal_obj.text, "organisation_goal": goal_obj.organisation_goal, "team": goal_obj.team}
        if goal_obj
        else None
    )
    form = ProgrammeGoalForm(request.POST or None, workspace=request.workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_programme_goal(programme=programme, actor=request.user, goal=goal_obj, **form.cleaned_data)
        messages.success(request, _("Goal saved."))
        return redirect("programmes:programme_detail", uuid=programme.uuid)
    return render(request, "programmes/goal_form.html", {"form": form, "programme": programme, "goal": goal_obj})


@workspace_view(MANAGE)
def goal_delete(request, uuid, goal):
    programme = _programme(request, uuid)
    goal_obj = get_or_404(ProgrammeGoal.objects.filter(programme=programme), uuid=goal)
    if request.method == "POST":
        services.delete_programme_goal(goal=goal_obj, actor=request.user)
        messages.success(request, _("Goal deleted."))
        return redirect("programmes:programme_detail", uuid=programme.uuid)
    return render(request, "programmes/confirm_delete.html", {"object": goal_obj, "back": programme})
