"""``takeroot demo``: build the demo workspaces and print how to sign in to them."""

from django.core.management.base import BaseCommand

from takeroot.core.demo import DEMO_LOGINS, DEMO_PASSWORD, FJALLBACKA, FJALLBACKA_ADMIN_EMAIL, NORDWIND, build_demo


class Command(BaseCommand):
    help = (
        f"Create the demo workspaces {NORDWIND[0]} (200 people) and {FJALLBACKA[0]} (12 people), "
        "unless they exist, and print the demo logins."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo workspaces and their accounts, then build them again.",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        summary = build_demo(reset=reset)
        self.stdout.write(self.style.SUCCESS(str(summary)) if summary.created else str(summary))
        logins = [(f"{role} ({NORDWIND[0]})", email) for role, email in DEMO_LOGINS]
        logins.append((f"admin ({FJALLBACKA[0]})", FJALLBACKA_ADMIN_EMAIL))
        width = max(len(label) for label, _ in logins)
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for label, email in logins:
            self.stdout.write(f"  {label:<{width}}  {email}")
