from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from takeroot.core.demo import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    FJALLBACKA_ADMIN_EMAIL,
    DemoSummary,
    build_demo,
    demo_exists,
)
from takeroot.core.enums import AccountStatus
from takeroot.core.models import AuditEntry, Person, Team, User, Workspace

from ..factories import PersonFactory, WorkspaceFactory


def _people(slug):
    return Person.objects.filter(workspace__slug=slug).select_related("user", "manager", "team")


def _login(role):
    return Person.objects.get(workspace__slug="nordwind", user__email=dict(DEMO_LOGINS)[role])


def _snapshot():
    return sorted(
        (
            p.workspace.slug,
            p.user.email,
            p.user.name,
            p.team.name if p.team else "",
            p.job_title,
            p.manager.user.email if p.manager else "",
            tuple(p.roles),
        )
        for p in Person.objects.select_related("workspace", "user", "team", "manager__user")
    )


def test_build_demo_creates_two_workspaces_with_their_people(db):
    summary = build_demo()

    assert summary == DemoSummary(created=True, removed=False, workspaces=2, teams=22, people=212)
    assert sorted(Workspace.objects.values_list("slug", "name")) == [
        ("fjallbacka", "Fjällbacka Bygg AB"),
        ("nordwind", "Nordwind Logistics"),
    ]
    assert _people("nordwind").count() == 200
    assert _people("fjallbacka").count() == 12
    assert User.objects.count() == 211  # the demo mentor has one account in both workspaces
    assert demo_exists() is True


def test_build_demo_roles(db):
    build_demo()
    people = list(_people("nordwind"))

    counts = {role: sum(p.has_role(role) for p in people) for role, _ in DEMO_LOGINS}
    assert counts == {"admin": 2, "trainer": 4, "mentor": 4, "manager": 17, "participant": 191}
    assert {role: _login(role).roles for role, _ in DEMO_LOGINS} == {
        "admin": ["admin"],
        "trainer": ["trainer"],
        "mentor": ["mentor"],
        "manager": ["manager"],
        "participant": ["participant"],
    }


def test_build_demo_logins_can_sign_in(db, client):
    build_demo()
    emails = [email for _, email in DEMO_LOGINS] + [FJALLBACKA_ADMIN_EMAIL]

    signed_in = [authenticate(email=email, password=DEMO_PASSWORD) for email in emails]

    assert [user.email if user else None for user in signed_in] == emails
    assert client.login(email=dict(DEMO_LOGINS)["participant"], password=DEMO_PASSWORD) is True
    assert authenticate(email=dict(DEMO_LOGINS)["admin"], password="wrong password") is None


def test_build_demo_participant_reports_to_the_manager_login(db):
    build_demo()
    participant, manager = _login("participant"), _login("manager")

    assert participant.manager == manager
    assert participant.team == manager.team
    assert participant.team.name == "Kraków Contact Centre"
    assert participant.user.name == "李娜"
    assert (participant.user.language, participant.user.timezone) == ("zh-hans", "Europe/Warsaw")


def test_build_demo_mentor_login_is_in_both_workspaces(db):
    build_demo()

    slugs = Person.objects.filter(user__email=dict(DEMO_LOGINS)["mentor"]).values_list("workspace__slug", flat=True)

    assert sorted(slugs) == ["fjallbacka", "nordwind"]
    assert [p.is_mentor for p in Person.objects.filter(user__email=dict(DEMO_LOGINS)["mentor"])] == [True, True]


def test_build_demo_has_no_manager_cycles_and_managers_stay_in_their_workspace(db):
    build_demo()
    people = {p.pk: p for p in Person.objects.all()}

    for person in people.values():
        seen = {person.pk}
        current = person
        while current.manager_id is not None:
            manager = people[current.manager_id]
            assert manager.workspace_id == person.workspace_id
            assert manager.pk not in seen
            seen.add(manager.pk)
            current = manager


def test_build_demo_everyone_has_a_line_manager_but_the_top_and_the_external_mentor(db):
    build_demo()

    without = {
        slug: sorted(p.user.name for p in _people(slug) if p.manager is None) for slug in ("nordwind", "fjallbacka")
    }

    assert without == {
        "nordwind": ["Ingrid Svensson", "Johan Ekström"],
        "fjallbacka": ["Anders Hallberg", "Ingrid Svensson"],
    }
    # In every team, one person (its line manager) reports outside it; everyone else reports to someone in it.
    leads = {}
    for team in Team.objects.select_related("workspace"):
        members = team.members.select_related("user", "manager")
        leads[team.name] = [p.user.name for p in members if p.manager is None or p.manager.team_id != team.pk]
    assert all(len(names) == 1 for names in leads.values()), leads
    assert leads["Kraków Contact Centre"] == ["Marek Kowalski"]


def test_build_demo_teams_nest(db):
    build_demo()
    nordwind = Team.objects.filter(workspace__slug="nordwind")

    assert nordwind.count() == 17
    assert sorted(nordwind.filter(parent=None).values_list("name", flat=True)) == [
        "Customer Service",
        "Engineering",
        "Management",
        "Operations",
        "People & Culture",
        "Sales",
        "Shanghai Office",
    ]
    assert sorted(nordwind.filter(parent__name="Customer Service").values_list("name", flat=True)) == [
        "Kraków Contact Centre",
        "Stockholm Support",
    ]
    assert nordwind.exclude(parent=None).count() == 10
    assert Team.objects.filter(workspace__slug="fjallbacka").exclude(parent=None).count() == 2


def test_build_demo_mixes_languages_time_zones_and_states(db):
    build_demo()
    users = [p.user for p in _people("nordwind")]

    assert {u.language for u in users} == {"pl", "sv", "zh-hans", "en"}
    assert {u.timezone for u in users} == {"Europe/Warsaw", "Europe/Stockholm", "Asia/Shanghai", "Europe/London"}
    assert {u.account_status for u in users} == {AccountStatus.ACTIVE, AccountStatus.INVITED, AccountStatus.NOT_INVITED}
    assert sum(bool(u.accessibility_needs) for u in users) == 8
    assert "Łukasz Wiśniewski" in {u.name for u in users}
    assert User.objects.get(name="Łukasz Wiśniewski").email == "lukasz.wisniewski@nordwind.takeroot.test"


def test_build_demo_writes_an_audit_entry_per_person_and_team(db):
    build_demo()

    # people + teams + the workspace itself
    core_records = AuditEntry.objects.filter(object_type__in=["person", "team", "workspace"])
    assert core_records.filter(workspace__slug="nordwind").count() == 200 + 17 + 1
    assert core_records.filter(workspace__slug="fjallbacka").count() == 12 + 5 + 1


def test_build_demo_twice_changes_nothing(db):
    build_demo()
    before = _snapshot()

    summary = build_demo()

    assert summary == DemoSummary(created=False)
    assert _snapshot() == before
    assert Workspace.objects.count() == 2
    assert User.objects.count() == 211


def test_build_demo_reset_rebuilds_the_same_data(db):
    build_demo()
    before = _snapshot()
    Person.objects.filter(workspace__slug="nordwind", user__email=dict(DEMO_LOGINS)["trainer"]).delete()
    other = WorkspaceFactory(slug="elsewhere")
    participant_user = User.objects.get(email=dict(DEMO_LOGINS)["participant"])
    PersonFactory(workspace=other, user=participant_user)

    summary = build_demo(reset=True)

    assert summary == DemoSummary(created=True, removed=True, workspaces=2, teams=22, people=212)
    assert [row for row in _snapshot() if row[0] != "elsewhere"] == before
    # An account that is also in another workspace keeps that membership.
    assert User.objects.get(email=participant_user.email).pk == participant_user.pk
    assert Person.objects.filter(user=participant_user).count() == 2
    assert User.objects.count() == 211


def test_demo_command_builds_and_prints_the_logins(db):
    out = StringIO()

    call_command("demo", stdout=out)
    call_command("demo", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Built the demo: 2 workspaces, 22 teams, 212 people."
    assert lines[1] == "Demo logins (password: takeroot-demo):"
    assert [line.split()[-1] for line in lines[2:8]] == [email for _, email in DEMO_LOGINS] + [FJALLBACKA_ADMIN_EMAIL]
    assert lines[8] == "The demo data already exists; nothing changed (use --reset to build it again)."
    assert len(lines) == 16
