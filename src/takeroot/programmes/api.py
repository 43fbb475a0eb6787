"""Programmes, modules, cohorts, sessions and enrolments over JSON. Same queries, rules and
services as the pages."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.models import Person, Team
from takeroot.core.pagination import Pages
from takeroot.core.queries import teams_for_workspace, workspace_people
from takeroot.core.rules import API_KEY_SCOPES

from . import services
from .models import Cohort, Enrolment, Module, Programme, Session
from .queries import (
    cohorts_for_user,
    cohorts_for_workspace,
    enrolments_of_cohort,
    enrolments_visible_to,
    programme_detail,
    programmes_for_workspace,
)
from .schemas import (
    CohortIn,
    CohortOut,
    CohortPatch,
    EnrolIn,
    EnrolmentOut,
    EnrolmentPatch,
    ModuleIn,
    ModuleOut,
    ModulePatch,
    ProgrammeCopyIn,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    SessionIn,
    SessionOut,
    SessionPatch,
)

router = Router(tags=["programmes"])

# What an API key may do here. Accommodations can be health data, so no key sees or changes
# them, as no key sees a person's accessibility needs in the people API.
API_KEY_SCOPES.update(
    {
        "programmes.list_programmes": "programmes:read",
        "programmes.view_cohort": "programmes:read",
        "programmes.view_enrolment": "programmes:read",
        "programmes.manage_programmes": "programmes:write",
        "programmes.manage_cohort": "programmes:write",
    }
)

ACCOMMODATION_FIELDS = set(services.ACCOMMODATION_FIELDS)


def _found(obj):
    if obj is None:
        raise Http404
    return obj


# Objects named in the path: looked up in the caller's workspace (another workspace's answers
# exactly like a missing one), then the rule decides.


def _programme(request, programme_id: UUID, perm: str) -> Programme:
    workspace = api_workspace(request)
    programme = _found(programmes_for_workspace(workspace).filter(uuid=programme_id).first())
    require_api_perm(request, perm, workspace)
    return programme


def _programme_out(request, programme: Programme) -> Programme:
    # With modules, objectives and goals. After a write it does not ask again: a write-only
    # key gets back what it wrote.
    return programme_detail(api_workspace(request)).get(pk=programme.pk)


def _module(request, module_id: UUID) -> Module:
    workspace = api_workspace(request)
    module = _found(
        Module.objects.filter(workspace=workspace, uuid=module_id).select_related("programme__workspace").first()
    )
    require_api_perm(request, "programmes.manage_programmes", workspace)
    return module


def _cohorts(request):
    return cohorts_for_workspace(api_workspace(request)).prefetch_related("trainers", "mentors")


def _cohort(request, cohort_id: UUID, perm: str) -> Cohort:
    cohort = _found(_cohorts(request).filter(uuid=cohort_id).first())
    require_api_perm(request, perm, cohort)
    return cohort


def _sessions(request):
    return Session.objects.filter(workspace=api_workspace(request)).select_related("cohort", "module")


def _session(request, session_id: UUID) -> Session:
    session = _found(_sessions(request).filter(uuid=session_id).first())
    require_api_perm(request, "programmes.manage_cohort", session.cohort)
    return session


def _enrolments(queryset):
    # The workspace and cohort come along for the rules that decide who sees accommodations.
    return queryset.select_related("workspace", "cohort", "person__user", "manager", "mentor")


def _enrolment(request, enrolment_id: UUID) -> Enrolment:
    workspace = api_workspace(request)
    return _found(_enrolments(Enrolment.objects.filter(workspace=workspace, uuid=enrolment_id)).first())


# Objects named in a body: unknown in this workspace → 400 on that field.


def _programme_field(request, programme_id: UUID) -> Programme:
    programme = programmes_for_workspace(api_workspace(request)).filter(uuid=programme_id).first()
    if programme is None:
        raise ValidationError({"programme": [_("There is no such programme in this workspace.")]})
    return programme


def _module_field(request, module_id: UUID | None) -> Module | None:
    if module_id is None:
        return None
    module = Module.objects.filter(workspace=api_workspace(request), uuid=module_id).first()
    if module is None:
        raise ValidationError({"module": [_("There is no such module in this workspace.")]})
    return module


def _team_field(request, team_id: UUID) -> Team:
    team = teams_for_workspace(api_workspace(request)).filter(uuid=team_id).first()
    if team is None:
        raise ValidationError({"team": [_("There is no such team in this workspace.")]})
    return team


def _person_field(request, person_id: UUID | None, field: str) -> Person | None:
    if person_id is None:
        return None
    return _people_field(request, [person_id], field)[0]


def _people_field(request, person_ids: list[UUID], field: str) -> list[Person]:
    wanted = set(person_ids)
    people = list(workspace_people(api_workspace(request)).filter(uuid__in=wanted).select_related("user", "manager"))
    if len(people) != len(wanted):
        raise ValidationError({field: [_("There is nobody with this id in the workspace.")]})
    return people


# Programmes ------------------------------------------------------------------------------------


@router.get("/programmes", response={200: list[ProgrammeOut], **READ_ERRORS}, summary="List programmes")
@paginate(Pages, page_size=50)
def list_programmes(request):
    workspace = api_workspace(request)
    require_api_perm(request, "programmes.list_programmes", workspace)
    return programmes_for_workspace(workspace)


@router.post("/programmes", response={201: ProgrammeDetailOut, **WRITE_ERRORS}, summary="Create a programme")
def create_programme(request, payload: ProgrammeIn):
    workspace = api_workspace(request)
    require_api_perm(request, "programmes.manage_programmes", workspace)
    programme = services.create_programme(workspace=workspace, actor=api_actor(request), **payload.model_dump())
    return Status(201, _programme_out(request, programme))


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeDetailOut, **READ_ERRORS},
    summary="One programme with its modules and goals",
)
def get_programme(request, programme_id: UUID):
    return _programme_out(request, _programme(request, programme_id, "programmes.list_programmes"))


@router.patch(
    "/programmes/{programme_id}", response={200: ProgrammeDetailOut, **WRITE_ERRORS}, summary="Change a programme"
)
def update_programme(request, programme_id: UUID, payload: ProgrammePatch):
    programme = _programme(request, programme_id, "programmes.manage_programmes")
    services.update_programme(programme=programme, actor=api_actor(request), **payload.model_dump(exclude_unset=True))
    return _programme_out(request, programme)


@router.delete(
    "/programmes/{programme_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a programme that never ran"
)
def delete_programme(request, programme_id: UUID):
    programme = _programme(request, programme_id, "programmes.manage_programmes")
    services.delete_programme(programme=programme, actor=api_actor(request))
    return Status(204, None)


@router.post(
    "/programmes/{programme_id}/copy",
    response={201: ProgrammeDetailOut, **WRITE_ERRORS},
    summary="Copy a programme's design: fields, goals, modules and objectives",
)
def copy_programme(request, programme_id: UUID, payload: ProgrammeCopyIn):
    programme = _programme(request, programme_id, "programmes.manage_programmes")
    copy = services.copy_programme(programme=programme, actor=api_actor(request), name=payload.name)
    return Status(201, _programme_out(request, copy))


# Modules ---------------------------------------------------------------------------------------


def _module_out(module: Module) -> Module:
    return Module.objects.prefetch_related("objectives").get(pk=module.pk)


@router.get(
    "/programmes/{programme_id}/modules",
    response={200: list[ModuleOut], **READ_ERRORS},
    summary="A programme's modules, in order",
)
@paginate(Pages, page_size=100)
def list_modules(request, programme_id: UUID):
    programme = _programme(request, programme_id, "programmes.list_programmes")
    return programme.modules.prefetch_related("objectives")


@router.post(
    "/programmes/{programme_id}/modules",
    response={201: ModuleOut, **WRITE_ERRORS},
    summary="Add a module at the end of a programme",
)
def create_module(request, programme_id: UUID, payload: ModuleIn):
    programme = _programme(request, programme_id, "programmes.manage_programmes")
    module = services.save_module(programme=programme, actor=api_actor(request), **payload.model_dump())
    return Status(201, _module_out(module))


@router.patch(
    "/modules/{module_id}", response={200: ModuleOut, **WRITE_ERRORS}, summary="Change a module and its objectives"
)
def update_module(request, module_id: UUID, payload: ModulePatch):
    module = _module(request, module_id)
    current = {
        "title": module.title,
        "description": module.description,
        "objectives": [objective.text for objective in module.objectives.all()],
    }
    services.save_module(
        programme=module.programme,
        actor=api_actor(request),
        module=module,
        **(current | payload.model_dump(exclude_unset=True)),
    )
    return _module_out(module)


@router.delete("/modules/{module_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a module")
def delete_module(request, module_id: UUID):
    services.delete_module(module=_module(request, module_id), actor=api_actor(request))
    return Status(204, None)


# Cohorts ---------------------------------------------------------------------------------------


class CohortFilters(Schema):
    programme: UUID | None = None


@router.get("/cohorts", response={200: list[CohortOut], **READ_ERRORS}, summary="List cohorts")
@paginate(Pages, page_size=50)
def list_cohorts(request, filters: Query[CohortFilters]):
    workspace = api_workspace(request)
    if request.api_key is not None:
        require_api_perm(request, "programmes.view_cohort", workspace)
        cohorts = cohorts_for_workspace(workspace)
    else:
        cohorts = cohorts_for_user(request.user, workspace=workspace)
    if filters.programme:
        programme = programmes_for_workspace(workspace).filter(uuid=filters.programme).first()
        if programme is None:
            return cohorts.none()  # a filter naming nothing in this workspace matches nothing
        cohorts = cohorts.filter(programme=programme)
    # The participant count's GROUP BY drops Meta.ordering, so the order is said again here.
    return cohorts.prefetch_related("trainers", "mentors").order_by("-starts_on", "name", "pk")


@router.post("/cohorts", response={201: CohortOut, **WRITE_ERRORS}, summary="Start a cohort of a programme")
def create_cohort(request, payload: CohortIn):
    workspace = api_workspace(request)
    require_api_perm(request, "programmes.manage_cohort", workspace)
    data = payload.model_dump()
    cohort = services.create_cohort(
        programme=_programme_field(request, data.pop("programme")),
        actor=api_actor(request),
        trainers=_people_field(request, data.pop("trainers"), "trainers"),
        mentors=_people_field(request, data.pop("mentors"), "mentors"),
        **data,
    )
    return Status(201, _cohorts(request).get(pk=cohort.pk))


@router.get("/cohorts/{cohort_id}", response={200: CohortOut, **READ_ERRORS}, summary="One cohort")
def get_cohort(request, cohort_id: UUID):
    return _cohort(request, cohort_id, "programmes.view_cohort")


@router.patch(
    "/cohorts/{cohort_id}", response={200: CohortOut, **WRITE_ERRORS}, summary="Change a cohort's dates or people"
)
def update_cohort(request, cohort_id: UUID, payload: CohortPatch):
    cohort = _cohort(request, cohort_id, "programmes.manage_cohort")
    data = payload.model_dump(exclude_unset=True)
    for field in ("trainers", "mentors"):
        if field in data:
            data[field] = _people_field(request, data[field], field)
    services.update_cohort(cohort=cohort, actor=api_actor(request), **data)
    return _cohorts(request).get(pk=cohort.pk)


# Sessions --------------------------------------------------------------------------------------


@router.get(
    "/cohorts/{cohort_id}/sessions",
    response={200: list[SessionOut], **READ_ERRORS},
    summary="A cohort's sessions, in time order",
)
@paginate(Pages, page_size=100)
def list_sessions(request, cohort_id: UUID):
    cohort = _cohort(request, cohort_id, "programmes.view_cohort")
    return cohort.sessions.select_related("module")


@router.post(
    "/cohorts/{cohort_id}/sessions", response={201: SessionOut, **WRITE_ERRORS}, summary="Add a session to a cohort"
)
def create_session(request, cohort_id: UUID, payload: SessionIn):
    cohort = _cohort(request, cohort_id, "programmes.manage_cohort")
    data = payload.model_dump()
    data["module"] = _module_field(request, data["module"])
    session = services.save_session(cohort=cohort, actor=api_actor(request), **data)
    return Status(201, _sessions(request).get(pk=session.pk))


@router.patch(
    "/sessions/{session_id}",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Change a session; subscribed calendars update the event",
)
def update_session(request, session_id: UUID, payload: SessionPatch):
    session = _session(request, session_id)
    data = payload.model_dump(exclude_unset=True)
    if "module" in data:
        data["module"] = _module_field(request, data["module"])
    services.save_session(cohort=session.cohort, actor=api_actor(request), session=session, **data)
    return _sessions(request).get(pk=session.pk)


@router.post(
    "/sessions/{session_id}/cancel",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Cancel a session; subscribed calendars show it as cancelled",
)
def cancel_session(request, session_id: UUID):
    session = _session(request, session_id)
    services.cancel_session(session=session, actor=api_actor(request))
    return _sessions(request).get(pk=session.pk)


# Enrolments ------------------------------------------------------------------------------------


def _visible_enrolments(request, cohort: Cohort):
    """An API key reads every enrolment of its workspace; a person what ``view_enrolment`` allows."""
    if request.api_key is not None:
        return _enrolments(enrolments_of_cohort(cohort))
    return _enrolments(enrolments_visible_to(request.user, cohort))


@router.get(
    "/cohorts/{cohort_id}/enrolments",
    response={200: list[EnrolmentOut], **READ_ERRORS},
    summary="A cohort's participants",
)
@paginate(Pages, page_size=100)
def list_enrolments(request, cohort_id: UUID):
    cohort = _cohort(request, cohort_id, "programmes.view_cohort")
    return _visible_enrolments(request, cohort)


@router.post(
    "/cohorts/{cohort_id}/enrolments",
    response={201: list[EnrolmentOut], **WRITE_ERRORS},
    summary="Enrol people, or a team with the teams inside it; answers the new enrolments",
)
def enrol(request, cohort_id: UUID, payload: EnrolIn):
    cohort = _cohort(request, cohort_id, "programmes.manage_cohort")
    actor = api_actor(request)
    mentor = _person_field(request, payload.mentor, "mentor")
    with transaction.atomic():
        if payload.team is not None:
            new = services.enrol_team(
                cohort=cohort, actor=actor, team=_team_field(request, payload.team), mentor=mentor
            )
        else:
            people = _people_field(request, payload.people, "people")
            new = services.enrol_people(cohort=cohort, actor=actor, people=people, mentor=mentor)
    return Status(201, list(_enrolments(enrolments_of_cohort(cohort)).filter(pk__in=[e.pk for e in new])))


@router.get("/enrolments/{enrolment_id}", response={200: EnrolmentOut, **READ_ERRORS}, summary="One enrolment")
def get_enrolment(request, enrolment_id: UUID):
    enrolment = _enrolment(request, enrolment_id)
    require_api_perm(request, "programmes.view_enrolment", enrolment)
    return enrolment


@router.patch(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentOut, **WRITE_ERRORS},
    summary="Change an enrolment's status, mentor or accommodations",
)
def update_enrolment(request, enrolment_id: UUID, payload: EnrolmentPatch):
    enrolment = _enrolment(request, enrolment_id)
    data = payload.model_dump(exclude_unset=True)
    # Status and mentor are the cohort's organisers' to set; accommodations also the participant's.
    if data.keys() & {"status", "mentor"}:
        require_api_perm(request, "programmes.manage_cohort", enrolment.cohort)
    if data.keys() & ACCOMMODATION_FIELDS:
        require_api_perm(request, "programmes.change_accommodations", enrolment)
    if not data:
        require_api_perm(request, "programmes.view_enrolment", enrolment)
    actor = api_actor(request)
    with transaction.atomic():
        if "status" in data:
            services.set_enrolment_status(enrolment=enrolment, actor=actor, status=data.pop("status"))
        if "mentor" in data:
            data["mentor"] = _person_field(request, data["mentor"], "mentor")
        if data:
            services.update_enrolment(enrolment=enrolment, actor=actor, **data)
    return _enrolment(request, enrolment_id)
