"""``takeroot tracking_backfill [--workspace slug]``: record the activity that Takeroot's own rows
give and tracking does not hold yet (after an upgrade, or a restore). Safe to run again."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from takeroot.core.models import Workspace
from takeroot.core.scope import across_workspaces
from takeroot.tracking.sources import backfill


class Command(BaseCommand):
    help = "Record the activity that existing check-ins, quiz answers, practice, tickets, attendance and surveys give."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", metavar="SLUG", help="only this workspace (default: every workspace)")

    def handle(self, *args, workspace: str | None = None, **options) -> None:
        with across_workspaces():  # the command serves every workspace, or the one named
            found = Workspace.objects.order_by("slug")
            if workspace:
                found = found.filter(slug=workspace)
            workspaces = list(found)
        if workspace and not workspaces:
            raise CommandError(f"No workspace has the short name {workspace!r}.")
        now = timezone.now()
        for each in workspaces:
            counts = backfill(each, now=now)
            listed = ", ".join(f"{kind} {count}" for kind, count in counts.items())
            self.stdout.write(f"{each.slug}: {sum(counts.values())} new records ({listed})")
