"""Learning data in, indicators out.

Activity comes from three places: xAPI ``Statement`` rows posted by an LMS through an
``LmsConnection``, ``ActivityImport`` files, and what Takeroot records itself (check-ins, quiz
answers, practice tasks, survey results, tickets, session attendance). Each becomes an
``ActivityRecord``: one normalised measurement of one ``Input`` for one enrolment (or, for survey
results, one cohort). Records are added to ``Rollup`` rows as they arrive, so indicators are read
from a few rows per enrolment and week instead of rescanning history. ``Indicator`` rows are
formulas over inputs with a cadence and a threshold; ``AtRiskFlag`` and ``Finding`` are what the
rules conclude, ``Intervention`` and ``DesignChange`` what people did about it.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from takeroot.core.models import Person, User, Workspace, WorkspaceOwned
from takeroot.programmes.models import Cohort, Enrolment, Module, Programme

from .enums import (
    Cadence,
    Category,
    FindingKind,
    FindingState,
    FlagState,
    ImportKind,
    Input,
    InterventionKind,
    Origin,
)


class TrackingSettings(WorkspaceOwned):
    """A workspace's at-risk rules. A workspace without a row uses the defaults."""

    notify_managers = models.BooleanField(
        _("tell line managers when someone in their team is flagged at risk"), default=False
    )
    engagement_drop_percent = models.PositiveSmallIntegerField(
        _("flag when engagement falls by this many percent (last two weeks against the two before)"),
        default=40,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
    )
    missed_check_ins = models.PositiveSmallIntegerField(
        _("flag after this many missed check-ins in a row"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    score_drop_points = models.PositiveSmallIntegerField(
        _("flag when the quiz score falls by this many percentage points"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("tracking settings")
        constraints = [models.UniqueConstraint(fields=["workspace"], name="one_tracking_settings_per_workspace")]

    def __str__(self) -> str:
        return str(_("tracking settings"))


# Data in: xAPI -----------------------------------------------------------------------------------


class LmsConnection(WorkspaceOwned):
    """An LMS that posts xAPI statements, with its HTTP Basic credentials.

    ``username`` is public; the secret is shown once and kept as a SHA-256 digest (secrets are
    long random strings, so a fast hash compared in constant time is enough, and costs nothing
    per request).
    """

    name = models.CharField(_("name"), max_length=200)
    username = models.CharField(max_length=40, unique=True)
    secret_digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LMS connection")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    """One xAPI statement as the LMS sent it (``document``, immutable), with ``stored`` and
    ``authority`` set by Takeroot and the columns queries filter on extracted.

    ``person`` and ``module`` are filled when the actor and the activity are mapped; ``processed``
    says the statement's activity records exist. A voided statement keeps its row.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(LmsConnection, null=True, on_delete=models.SET_NULL, related_name="statements")
    statement_id = models.UUIDField()
    document = models.JSONField()
    verb = models.CharField(max_length=2048)
    activity = models.CharField(max_length=2048, blank=True)  # the object's id when it is an Activity
    actor_key = models.CharField(max_length=512)  # "mbox:mailto:…", "account:<homePage>|<name>", …
    registration = models.UUIDField(null=True, blank=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    voids = models.UUIDField(null=True, blank=True)  # a voiding statement's target
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    processed = models.BooleanField(default=False)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "statement_id"], name="statement_id_once_per_workspace")
        ]
        indexes = [
            models.Index(fields=["workspace", "stored", "id"]),
            models.Index(fields=["workspace", "actor_key"]),
            models.Index(fields=["workspace", "activity"]),
            models.Index(fields=["workspace", "verb"]),
            models.Index(fields=["workspace", "registration"]),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class ActorMapping(WorkspaceOwned):
    """An xAPI actor identifier that names a person of the workspace."""

    actor_key = models.CharField(_("actor"), max_length=512)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "actor_key"], name="actor_mapped_once")]

    def __str__(self) -> str:
        return self.actor_key


class ActivityMapping(WorkspaceOwned):
    """An xAPI activity id that is (part of) a programme module."""

    activity = models.CharField(_("activity id"), max_length=2048)
    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "activity"], name="activity_mapped_once")]

    def __str__(self) -> str:
        return self.activity


class VerbMapping(WorkspaceOwned):
    """A workspace's own reading of a verb; verbs without a row use ``mapping.DEFAULT_VERBS``."""

    verb = models.CharField(_("verb"), max_length=2048)
    input = models.CharField(_("counts as"), max_length=24, choices=Input, blank=True)  # blank: ignored

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "verb"], name="verb_mapped_once")]

    def __str__(self) -> str:
        return self.verb


# Data in: files ----------------------------------------------------------------------------------


class ImportSource(WorkspaceOwned):
    """A kind of file someone imports again and again, with its saved column mapping."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("what the file holds"), max_length=24, choices=ImportKind)
    # {"email": "<column header>", "module": "…", "date": "…", "value": "…", …}
    columns = models.JSONField(default=dict)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import source")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="import_source_name_once")]

    def __str__(self) -> str:
        return self.name


class ActivityImport(WorkspaceOwned):
    """One imported file: who, when, which source and mapping, how many records it added."""

    source = models.ForeignKey(ImportSource, null=True, on_delete=models.SET_NULL, related_name="imports")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=ImportKind)
    filename = models.CharField(max_length=255)
    columns = models.JSONField(default=dict)
    records = models.PositiveIntegerField(default=0)
    replaced = models.PositiveIntegerField(default=0)  # rows that took the place of earlier imports' values
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


# Facts and rollups -------------------------------------------------------------------------------


class ActivityRecord(models.Model):
    """One normalised measurement (see ``enums.Input``) from one origin.

    ``enrolment`` is empty only for cohort-only inputs (survey results). ``key`` makes recording
    idempotent for Takeroot's own sources ("quiz-answer:<pk>"); statements and imports point to
    their row and disappear with it (a voided statement's records are deleted).
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, null=True, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, null=True, on_delete=models.SET_NULL, related_name="+")
    input = models.CharField(max_length=24, choices=Input)
    value = models.FloatField()
    occurred_at = models.DateTimeField()
    origin = models.CharField(max_length=10, choices=Origin)
    statement = models.ForeignKey(Statement, null=True, on_delete=models.CASCADE, related_name="+")
    activity_import = models.ForeignKey(ActivityImport, null=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80, null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="activity_record_key_once")]
        indexes = [
            models.Index(fields=["enrolment", "input", "occurred_at"]),
            models.Index(fields=["cohort", "input", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.input} {self.value}"


class Rollup(models.Model):
    """The sum and count of one input for one enrolment (or a cohort-only input for its cohort)
    and one module (or none) in one week (Monday, in UTC). Kept up to date as records arrive;
    indicators at every level and period are read from these rows."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, null=True, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, null=True, on_delete=models.CASCADE, related_name="+")
    input = models.CharField(max_length=24, choices=Input)
    week = models.DateField()
    total = models.FloatField(default=0)
    count = models.IntegerField(default=0)  # an upsert that subtracts passes through negatives
    # The rows with NULLs would not collide in a plain unique constraint: this key would.
    bucket = models.CharField(max_length=80, unique=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        indexes = [
            models.Index(fields=["cohort", "input", "week"]),
            models.Index(fields=["enrolment", "input", "week"]),
        ]

    def __str__(self) -> str:
        return self.bucket


class CohortRollup(models.Model):
    """``Rollup`` summed over a cohort's people: the sum and count of one input for one cohort and
    one module (or none: the fact was tied to no module) in one week. Kept in the same transaction
    as the records; reads that do not pick out people (a cohort, a module, a programme, the
    workspace) come from here, a few rows per cohort and week instead of one per person."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, null=True, on_delete=models.CASCADE, related_name="+")
    input = models.CharField(max_length=24, choices=Input)
    week = models.DateField()
    total = models.FloatField(default=0)
    count = models.IntegerField(default=0)
    bucket = models.CharField(max_length=80, unique=True)  # as ``Rollup.bucket``: NULL modules collide too

    objects = ScopedManager(workspace="workspace")

    class Meta:
        # No index led by the workspace: the workspace scope adds ``workspace_id = ?`` to every query,
        # and SQLite (no statistics) would then walk the whole workspace instead of one cohort. A
        # workspace-wide read scans the table, which is small.
        indexes = [models.Index(fields=["cohort", "input", "week"])]

    def __str__(self) -> str:
        return self.bucket


# Indicators -------------------------------------------------------------------------------------


class Indicator(WorkspaceOwned):
    """A formula over inputs, e.g. ``mean(attendance)`` or ``sum(time_online) / weeks``, read at a
    cadence against a threshold. The defaults (seed 001's table) are created for each workspace;
    admins add their own."""

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=Category)
    formula = models.CharField(_("formula"), max_length=500)
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence, default=Cadence.WEEK)
    threshold = models.FloatField(_("threshold"))
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)  # "%" shows 0–1 values as percentages
    position = models.PositiveSmallIntegerField(default=0)
    is_default = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["workspace", "code"], name="indicator_code_once")]

    def __str__(self) -> str:
        return self.name


# At risk ----------------------------------------------------------------------------------------


class AtRiskFlag(WorkspaceOwned):
    """A participant the rules flagged, with the reasons; open until someone resolves it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="risk_flags")
    state = models.CharField(_("state"), max_length=10, choices=FlagState, default=FlagState.OPEN)
    # [{"reason": RiskReason, "detail": {...figures...}}]
    reasons = models.JSONField(default=list)
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("at-risk flag")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=models.Q(state=FlagState.OPEN), name="one_open_flag_per_enrolment"
            )
        ]

    def __str__(self) -> str:
        return str(self.enrolment)


class Intervention(WorkspaceOwned):
    flag = models.ForeignKey(AtRiskFlag, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(_("what was done"), max_length=20, choices=InterventionKind)
    note = models.TextField(_("note"), blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intervention")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


# Problem finder ---------------------------------------------------------------------------------


class Finding(WorkspaceOwned):
    """A common problem the finder spotted in a cohort (or across a programme)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="findings")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=FindingKind)
    subject = models.CharField(max_length=200, blank=True)  # a ticket category or a survey question
    value = models.FloatField()  # the figure that triggered it
    target = models.FloatField()  # what it should have been
    count = models.PositiveIntegerField(default=0)  # people, tickets or responses behind it
    state = models.CharField(_("state"), max_length=10, choices=FindingState, default=FindingState.OPEN)
    dismissed_reason = models.TextField(_("why it was dismissed"), blank=True)
    fingerprint = models.CharField(max_length=200)  # one finding per problem, updated on each run
    found_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("finding")
        ordering = ["-found_at"]
        constraints = [models.UniqueConstraint(fields=["workspace", "fingerprint"], name="finding_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


class DesignChange(WorkspaceOwned):
    """A change made to the programme for the next cohort, often in answer to a finding."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="design_changes")
    module = models.ForeignKey(
        Module, verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    description = models.TextField(_("what changed"))
    before_cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort before the change"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    after_cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("first cohort with the change"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("design change")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return self.description[:80]
