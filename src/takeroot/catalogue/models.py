"""The initiative catalogue: every development activity of the organisation, run in Takeroot or not.

An initiative linked to a Takeroot programme takes its dates, people and cost from the programme's
cohorts (see ``queries.initiative_facts``); the others carry what was typed in.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, Team, WorkspaceOwned
from takeroot.programmes.models import Programme

from .enums import InitiativeKind


class Initiative(WorkspaceOwned):
    kind = models.CharField(_("type"), max_length=20, choices=InitiativeKind, default=InitiativeKind.WORKSHOP)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="+")
    people = models.ManyToManyField(Person, verbose_name=_("people"), blank=True, related_name="+")
    head_count = models.PositiveIntegerField(_("head count"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[RegexValidator(r"^[A-Z]{3}$")])
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("Takeroot programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("initiative")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="initiative_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class InitiativeImport(WorkspaceOwned):
    """An uploaded list of initiatives, validated and waiting for the admin's confirmation."""

    created_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    notices = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("initiative import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
