from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from takeroot.core import services
from takeroot.core.enums import Language
from takeroot.core.scope import workspace_scope
from takeroot.settings import BASE_URL


class Command(BaseCommand):
    help = "Create a workspace (one client organisation) with its first admin, and invite the admin."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name, e.g. 'Acme Polska'")
        parser.add_argument("--admin-email", required=True, help="email of the workspace's first L&D admin")
        parser.add_argument("--admin-name", required=True, help="that admin's name")
        parser.add_argument("--slug", help="short name (default: made from the name)")
        parser.add_argument("--language", default=Language.EN, choices=Language.values, help="the admin's language")

    def handle(self, *args, name, admin_email, admin_name, slug=None, language=Language.EN, **options):
        # slugify drops letters without an ASCII decomposition; these few are common in names here.
        slug = slug or slugify(name.translate(str.maketrans("łŁøØđĐßæÆ", "lLoOdDsaA")))
        if not slug:
            raise CommandError("This name gives no short name in Latin letters; add --slug, e.g. --slug acme-china.")
        try:
            with transaction.atomic():
                workspace = services.create_workspace(name=name, slug=slug)
                with workspace_scope(workspace):
                    admin = services.create_person(
                        workspace=workspace,
                        actor=None,
                        email=admin_email,
                        name=admin_name,
                        language=language,
                        is_admin=True,
                        is_participant=False,
                    )
                    services.invite_person(person=admin, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created workspace {workspace.name!r} ({workspace.slug})."))
        self.stdout.write(f"An invitation was mailed to {admin.user.email}. The link, should the mail not arrive:")
        self.stdout.write(f"  {BASE_URL}/invitation/{services.invitation_token(admin.user)}/")
