from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GroupKind(models.TextChoices):
    PAIR = "pair", pgettext_lazy("peer group kind", "Pair")
    GROUP = "group", pgettext_lazy("peer group kind", "Small group")


class GroupingMode(models.TextChoices):
    MIXED_TEAMS = "mixed_teams", _("Mix teams: people from different teams together")
    SAME_TEAM = "same_team", _("Same team: colleagues together")


class ThreadScope(models.TextChoices):
    COMMUNITY = "community", _("Cohort community")
    GROUP = "group", _("Group")
    TEAM = "team", _("Team insights")
