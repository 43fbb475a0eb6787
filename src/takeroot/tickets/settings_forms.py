"""The workspace's ticket settings and routing rules: the forms of the settings page, the queue's
and the metrics' filter forms, the patch form, and the audited writes that pages and the API share.

Replies by mail are not offered: Takeroot has no inbound mail connection yet, so the tickets
address (``inbound_address``) is neither shown nor changed here.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User, Workspace, timezone_names
from takeroot.core.services import record_audit
from takeroot.programmes.models import Cohort, Module, Programme

from .enums import Category, Clock, RouteTo
from .metrics import PERIODS
from .models import Patch, RoutingRule, TicketSettings
from .queue import VIEWS

SETTINGS_FIELDS = (
    "promise_hours",
    "clock",
    "day_starts",
    "day_ends",
    "timezone",
    "warn_before_hours",
    "auto_close_days",
)


def responders_of(workspace: Workspace) -> QuerySet[Person]:
    """Who a ticket may be routed to by name: the workspace's admins, trainers and mentors."""
    from django.db.models import Q

    return (
        Person.objects.filter(workspace=workspace)
        .filter(Q(is_admin=True) | Q(is_trainer=True) | Q(is_mentor=True))
        .select_related("user")
    )


# Writes -----------------------------------------------------------------------------------------


def _settings_errors(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    if values["day_ends"] <= values["day_starts"]:
        errors["day_ends"] = [_("The working day must end after it starts.")]
    if values["warn_before_hours"] >= values["promise_hours"]:
        errors["warn_before_hours"] = [
            _("Warn fewer hours before the deadline than the promise itself (%(hours)s hours).")
            % {"hours": values["promise_hours"]}
        ]
    if values["timezone"] not in timezone_names() and values["timezone"] != "UTC":
        errors["timezone"] = [_("Unknown time zone: %(value)s") % {"value": values["timezone"]}]
    return errors


@transaction.atomic
def save_ticket_settings(
    *,
    workspace: Workspace,
    actor: User | None,
    promise_hours: int,
    clock: str,
    day_starts: datetime.time,
    day_ends: datetime.time,
    timezone: str,
    warn_before_hours: int,
    auto_close_days: int,
) -> TicketSettings:
    """Save the workspace's promise. Tickets already raised keep the deadline they were given;
    the new promise counts for tickets raised (or reopened) from now on. Side effects: an audit
    entry of what changed. Called by admins (the page and the API)."""
    values = {
        "promise_hours": promise_hours,
        "clock": clock,
        "day_starts": day_starts,
        "day_ends": day_ends,
        "timezone": timezone,
        "warn_before_hours": warn_before_hours,
        "auto_close_days": auto_close_days,
    }
    if errors := _settings_errors(values):
        raise ValidationError(errors)
    found = TicketSettings.objects.select_for_update().filter(workspace=workspace).first()
    current = found or TicketSettings(workspace=workspace)
    created = found is None
    changes = {}
    for name, value in values.items():
        before = getattr(current, name)
        if before != value:
            changes[name] = (before, value)
        setattr(current, name, value)
    current.full_clean()
    current.save()
    if changes or created:
        action = AuditAction.CREATED if created else AuditAction.CHANGED
        record_audit(workspace=workspace, actor=actor, action=action, obj=current, changes=changes)
    return current


def _rule_errors(
    *, workspace: Workspace, rule: RoutingRule | None, category: str, programme, route_to: str, person
) -> dict:
    errors: dict[str, list[str]] = {}
    if programme is not None and programme.workspace_id != workspace.pk:
        errors["programme"] = [_("Choose a programme of this workspace.")]
    if route_to == RouteTo.PERSON:
        if person is None:
            errors["person"] = [_("Choose the person who answers these tickets.")]
        elif person.workspace_id != workspace.pk or not (person.is_admin or person.is_trainer or person.is_mentor):
            errors["person"] = [_("Choose an admin, trainer or mentor of this workspace: only they answer tickets.")]
    same = RoutingRule.objects.filter(workspace=workspace, category=category, programme=programme)
    if rule is not None:
        same = same.exclude(pk=rule.pk)
    if same.exists():
        message = (
            _("There is already a rule for this category in this programme: change that one.")
            if programme is not None
            else _("There is already a rule for this category in every programme: change that one.")
        )
        errors.setdefault("category", []).append(message)
    return errors


@transaction.atomic
def save_routing_rule(
    *,
    workspace: Workspace,
    actor: User | None,
    category: str,
    route_to: str,
    programme: Programme | None = None,
    person: Person | None = None,
    rule: RoutingRule | None = None,
) -> RoutingRule:
    """Create (``rule`` None) or change a routing rule. A rule for one programme comes before the
    workspace-wide rule of its category; a named person must be an admin, trainer or mentor.
    Side effects: an audit entry. Called by admins (the page and the API)."""
    if route_to not in RouteTo.values:
        raise ValidationError({"route_to": [_("Choose where these tickets go.")]})
    if category not in Category.values:
        raise ValidationError({"category": [_("Choose a category.")]})
    if errors := _rule_errors(
        workspace=workspace, rule=rule, category=category, programme=programme, route_to=route_to, person=person
    ):
        raise ValidationError(errors)
    person = person if route_to == RouteTo.PERSON else None
    created = rule is None
    rule = rule or RoutingRule(workspace=workspace)
    changes = {}
    for name, value in {"category": category, "programme": programme, "route_to": route_to, "person": person}.items():
        before = getattr(rule, name)
        if before != value:
            changes[name] = (before, value)
        setattr(rule, name, value)
    rule.full_clean(validate_constraints=False)  # checked above, with clearer words
    rule.save()
    if changes or created:
        action = AuditAction.CREATED if created else AuditAction.CHANGED
        record_audit(workspace=workspace, actor=actor, action=action, obj=rule, changes=changes)
    return rule


@transaction.atomic
def delete_routing_rule(*, rule: RoutingRule, actor: User | None) -> None:
    """Remove a routing rule: its tickets follow the defaults again. Side effects: an audit entry."""
    record_audit(workspace=rule.workspace, actor=actor, action=AuditAction.DELETED, obj=rule)
    rule.delete()


# Forms ------------------------------------------------------------------------------------------


class TicketSettingsForm(forms.Form):
    promise_hours = forms.IntegerField(
        label=gettext_lazy("Answer within (hours)"),
        min_value=1,
        max_value=240,
        help_text=gettext_lazy("The promise made to learners: the first answer comes within this many hours."),
    )
    clock = forms.ChoiceField(
        label=gettext_lazy("The hours are counted"),
        choices=Clock.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Working hours count only the working day on working days that are not holidays (the working days "
            "and holidays of the follow-up delivery settings)."
        ),
    )
    day_starts = forms.TimeField(
        label=gettext_lazy("Working day starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    day_ends = forms.TimeField(label=gettext_lazy("Working day ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    timezone = forms.ChoiceField(label=gettext_lazy("Time zone of the working day"))
    warn_before_hours = forms.IntegerField(
        label=gettext_lazy("Warn the owner this many hours before the deadline"), min_value=1, max_value=48
    )
    auto_close_days = forms.IntegerField(
        label=gettext_lazy("Close an answered ticket after this many days without a reply"),
        min_value=1,
        max_value=60,
        help_text=gettext_lazy(
            "The ticket then closes by itself, and the thread records that the learner did not reply."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(name, name) for name in ["UTC", *timezone_names()]]

    @classmethod
    def initial_from(cls, current: TicketSettings) -> dict:
        return {name: getattr(current, name) for name in SETTINGS_FIELDS}

    def clean(self):
        data = super().clean()
        if all(name in data for name in SETTINGS_FIELDS):
            for field, messages in _settings_errors(data).items():
                for message in messages:
                    self.add_error(field, message)
        return data


class RoutingRuleForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every programme"),
        to_field_name="uuid",
    )
    route_to = forms.ChoiceField(label=gettext_lazy("Route to"), choices=RouteTo.choices, widget=forms.RadioSelect)
    person = forms.ModelChoiceField(
        label=gettext_lazy("Named person"),
        queryset=Person.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=gettext_lazy("Nobody by name"),
        help_text=gettext_lazy("Only when the tickets go to a named person: an admin, trainer or mentor."),
        error_messages={"invalid_choice": gettext_lazy("Choose an admin, trainer or mentor of this workspace.")},
    )

    def __init__(self, *args, workspace: Workspace, rule: RoutingRule | None = None, **kwargs):
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "category": rule.category,
                "programme": rule.programme.uuid if rule.programme else None,
                "route_to": rule.route_to,
                "person": rule.person.uuid if rule.person else None,
            }
        super().__init__(*args, **kwargs)
        self.workspace, self.rule = workspace, rule
        self.fields["programme"].queryset = Programme.objects.filter(workspace=workspace).order_by("name")
        self.fields["person"].queryset = responders_of(workspace).order_by("user__name")
        self.fields["person"].label_from_instance = lambda person: person.user.name

    def clean(self):
        data = super().clean()
        if "category" in data and "route_to" in data and "programme" in data and "person" in data:
            errors = _rule_errors(workspace=self.workspace, rule=self.rule, **data)
            for field, messages in errors.items():
                for message in messages:
                    self.add_error(field, message)
        return data


class QueueFilterForm(forms.Form):
    """The queue's view and filters, from the query string; unknown values show everything."""

    view = forms.ChoiceField(label=gettext_lazy("Show"), choices=VIEWS, required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", gettext_lazy("Every category")), *Category.choices],
        required=False,
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every programme"),
        to_field_name="uuid",
    )
    cohort = forms.ModelChoiceField(
        label=gettext_lazy("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every cohort"),
        to_field_name="uuid",
    )
    module = forms.ModelChoiceField(
        label=gettext_lazy("Module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every module"),
        to_field_name="uuid",
    )

    def __init__(self, *args, workspace: Workspace, tickets: QuerySet | None = None, **kwargs):
        """``tickets``: what the viewer may see; the choices are the programmes, cohorts and modules
        among them, so nobody learns of cohorts they have nothing to do with."""
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.filter(workspace=workspace)
        cohorts = Cohort.objects.filter(workspace=workspace).select_related("programme")
        modules = Module.objects.filter(workspace=workspace).select_related("programme")
        if tickets is not None:
            programmes = programmes.filter(pk__in=tickets.values("programme_id"))
            cohorts = cohorts.filter(pk__in=tickets.values("cohort_id"))
            modules = modules.filter(pk__in=tickets.values("module_id"))
        self.fields["programme"].queryset = programmes.order_by("name")
        self.fields["cohort"].queryset = cohorts.order_by("programme__name", "-starts_on")
        self.fields["cohort"].label_from_instance = lambda cohort: f"{cohort.programme.name} · {cohort.name}"
        self.fields["module"].queryset = modules.order_by("programme__name", "position")
        self.fields["module"].label_from_instance = lambda module: f"{module.programme.name} · {module.title}"

    def values(self) -> dict:
        """The valid filters; a filter that does not parse is dropped (the form shows its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class MetricsFilterForm(QueueFilterForm):
    period = forms.TypedChoiceField(
        label=gettext_lazy("Tickets raised"),
        coerce=int,
        required=False,
        empty_value=PERIODS[0],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = [(days, _("in the last %(days)s days") % {"days": days}) for days in PERIODS]
        self.fields["period"].choices = [*last, (0, _("at any time"))]
        del self.fields["view"], self.fields["category"], self.fields["module"]
        self.order_fields(["period", "programme", "cohort"])


class PatchForm(forms.Form):
    module = forms.ModelChoiceField(
        label=gettext_lazy("Module"), queryset=Module.objects.none(), to_field_name="uuid", empty_label=None
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Short lesson"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("What everyone in the programme should know. Write it, give a link, or both."),
    )
    url = forms.URLField(label=gettext_lazy("Link to a resource"), required=False, assume_scheme="https")

    def __init__(self, *args, modules: QuerySet[Module], patch: Patch | None = None, **kwargs):
        if patch is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "module": patch.module.uuid,
                "title": patch.title,
                "body": patch.body,
                "url": patch.url,
            }
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        self.fields["module"].label_from_instance = lambda module: module.title

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not (data.get("url") or "").strip() and "url" not in self.errors:
            self.add_error("body", _("Write a short lesson, give a link, or both."))
        return data
