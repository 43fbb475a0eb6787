"""The workspace as it is before an import: people by email and teams by path."""

from ..models import ROLE_FIELDS, Person, Team, Workspace
from .parse import TEAM_SEPARATOR, USER_FIELDS


class TeamPaths:
    """The workspace's teams, found by path ("Sales / North") without a query per row."""

    def __init__(self, teams: list[Team]):
        self.by_id: dict[int, Team] = {}
        self.children: dict[tuple[int | None, str], Team] = {}  # by parent and case-folded name
        for team in teams:
            self.add(team)

    def add(self, team: Team) -> None:
        self.by_id[team.pk] = team
        self.children.setdefault((team.parent_id, team.name.casefold()), team)

    def path_of(self, team_id: int | None) -> str:
        names = []
        while team_id is not None:
            names.insert(0, self.by_id[team_id].name)
            team_id = self.by_id[team_id].parent_id
        return TEAM_SEPARATOR.join(names)

    def find(self, parts: list[str]) -> tuple[str, int | None]:
        """The path as the workspace spells it, and the team's id (None while the team is new).

        Names match whatever their case, so "sales" does not create a second "Sales"."""
        names, parent_id, found = [], None, True
        for part in parts:
            team = self.children.get((parent_id, part.casefold())) if found else None
            found = team is not None
            names.append(team.name if found else part)
            parent_id = team.pk if found else None
        return TEAM_SEPARATOR.join(names), parent_id

    def missing(self, path: str) -> list[list[str]]:
        """The teams of a full path that do not exist yet, parents first."""
        parts = path.split(TEAM_SEPARATOR)
        return [parts[:depth] for depth in range(1, len(parts) + 1) if self.find(parts[:depth])[1] is None]


class WorkspaceSnapshot:
    """Everyone in the workspace by lower-cased email, and its teams: two queries."""

    def __init__(self, workspace: Workspace):
        people = list(Person.objects.filter(workspace=workspace).select_related("user"))
        self.people = {person.user.email.lower(): person for person in people}
        self.email_of = {person.pk: email for email, person in self.people.items()}
        self.teams = TeamPaths(list(Team.objects.filter(workspace=workspace)))

    def differences(self, row: dict, person: Person) -> dict[str, tuple]:
        """What the row would change on this person, ``{field: (before, after)}``; team as a path,
        manager as an email."""
        wanted = {
            "name": row["name"],
            "language": row["language"],
            "timezone": row["timezone"],
            "team": row["team"],
            "manager": row["manager_email"],
        }
        if row["roles"] is not None:
            wanted |= {field: role in row["roles"] for role, field in ROLE_FIELDS.items()}
        current = {field: getattr(person.user, field) for field in USER_FIELDS}
        current |= {field: getattr(person, field) for field in ROLE_FIELDS.values()}
        current |= {"team": self.teams.path_of(person.team_id), "manager": self.email_of.get(person.manager_id, "")}
        return {key: (current[key], value) for key, value in wanted.items() if value not in (None, current[key])}
