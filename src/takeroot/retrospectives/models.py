"""The "what stuck and why" retrospective over the initiative catalogue (seed 002).

An admin opens a retrospective over a period and picks the initiatives under review; invited
raters (the leadership group, and participants if wanted) say per initiative they know how well
it stuck, why, and whether they would repeat it. Effect indicators entered by hand, with their
source, sit beside the numbers Takeroot computes itself (see ``report``).
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from takeroot.catalogue.models import Initiative
from takeroot.core.models import Person, WorkspaceOwned

from .enums import RaterGroup, RetrospectiveState, StuckLevel


class Retrospective(WorkspaceOwned):
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    state = models.CharField(_("state"), max_length=10, choices=RetrospectiveState, default=RetrospectiveState.OPEN)
    introduction = models.TextField(_("message to the raters"), blank=True)
    initiatives = models.ManyToManyField(Initiative, verbose_name=_("initiatives"), blank=True, related_name="+")
    opened_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("retrospective")
        ordering = ["-period_end", "-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="retrospective_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == RetrospectiveState.OPEN


class Rater(WorkspaceOwned):
    """One person invited to rate; ``submitted_at`` is set when they say they are done."""

    retrospective = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="raters")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("group"), max_length=20, choices=RaterGroup, default=RaterGroup.LEADERSHIP)
    invited_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rater")
        ordering = ["person__user__name"]
        constraints = [
            models.UniqueConstraint(fields=["retrospective", "person"], name="rater_unique_in_retrospective")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Rating(WorkspaceOwned):
    """One rater's view of one initiative. An initiative the rater does not know has no rating."""

    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="ratings")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("did it stick?"), choices=StuckLevel)
    # WhyTag values; a list keeps the form, the API and the statistics simple.
    reasons = models.JSONField(_("why"), default=list, blank=True)
    other_reason = models.CharField(_("other reason"), max_length=300, blank=True)
    repeat = models.BooleanField(_("I would repeat it"), default=False)
    comment = models.TextField(_("comment"), blank=True, validators=[MaxLengthValidator(2000)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rating")
        constraints = [models.UniqueConstraint(fields=["rater", "initiative"], name="rating_unique_per_initiative")]

    def __str__(self) -> str:
        return f"{self.rater}: {self.initiative}"


class EffectIndicator(WorkspaceOwned):
    """A number entered by hand for one initiative, with where it comes from."""

    retrospective = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="indicators")
    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("indicator"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=300)
    entered_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("effect indicator")
        ordering = ["initiative__title", "name"]

    def __str__(self) -> str:
        return self.name
