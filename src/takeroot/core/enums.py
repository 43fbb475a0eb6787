from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    EN = "en", "English"
    PL = "pl", "Polski"
    SV = "sv", "Svenska"
    ZH_HANS = "zh-hans", "简体中文"


class Role(models.TextChoices):
    """Roles a person holds in one workspace; one person may hold several."""

    ADMIN = "admin", _("L&D admin")
    TRAINER = "trainer", _("Trainer")
    MENTOR = "mentor", _("Mentor")
    MANAGER = "manager", _("Line manager")
    PARTICIPANT = "participant", _("Participant")


class AuditAction(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
    INVITED = "invited", _("invited")
    IMPORTED = "imported", _("imported")
    REVOKED = "revoked", _("revoked")


class AccountStatus(models.TextChoices):
    NOT_INVITED = "not_invited", _("Not invited")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly, on Monday")
    NEVER = "never", _("Never")


class MailState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ApiScope(models.TextChoices):
    PEOPLE_READ = "people:read", _("Read people and teams")
    PEOPLE_WRITE = "people:write", _("Create and change people and teams")
    PROGRAMMES_READ = "programmes:read", _("Read programmes, cohorts and enrolments")
    PROGRAMMES_WRITE = "programmes:write", _("Create and change programmes, cohorts and enrolments")
    CATALOGUE_READ = "catalogue:read", _("Read the initiative catalogue")
    CATALOGUE_WRITE = "catalogue:write", _("Change the initiative catalogue")
    RETROSPECTIVES_READ = "retrospectives:read", _("Read retrospectives and their reports")
    RETROSPECTIVES_WRITE = "retrospectives:write", _("Open, change and close retrospectives")
    COMPETENCE_PLANS_READ = "competence-plans:read", _("Read competence-development plans")
    COMPETENCE_PLANS_WRITE = "competence-plans:write", _("Change competence-development plans")
    ACTION_PLANS_READ = "action-plans:read", _("Read action plans, goals, tasks and check-ins")
    ACTION_PLANS_WRITE = "action-plans:write", _("Change action plans and record check-ins")
    PRACTICE_READ = "practice:read", _("Read practice tasks, reports and reviews")
    PRACTICE_WRITE = "practice:write", _("Create, change and assign practice tasks")
    PEERS_READ = "peers:read", _("Read peer groups, discussion threads and ambassadors")
    PEERS_WRITE = "peers:write", _("Change peer groups and write in discussion threads")
    WINS_READ = "wins:read", _("Read wins and the wins digest")
    WINS_WRITE = "wins:write", _("Record wins and react to them")
    FOLLOWUP_READ = "followup:read", _("Read follow-up designs, touchpoints, holds and follow-up sessions")
    FOLLOWUP_WRITE = "followup:write", _("Change follow-up designs, holds and follow-up sessions; resend touchpoints")
    QUIZZES_READ = "quizzes:read", _("Read quiz questions, rounds, answers and quiz results")
    QUIZZES_WRITE = "quizzes:write", _("Change quiz questions and quiz settings")
    SURVEYS_READ = "surveys:read", _("Read questionnaires, surveys and survey results above the anonymity thresholds")
    SURVEYS_WRITE = "surveys:write", _("Change questionnaires; send, remind and close surveys")
    TICKETS_READ = "tickets:read", _("Read learner tickets, their comments and ticket metrics")
    TICKETS_WRITE = "tickets:write", _("Answer, reassign and close learner tickets")
    TRACKING_READ = "tracking:read", _("Read learning data, connections, mappings, indicators, flags and dashboards")
    TRACKING_WRITE = "tracking:write", _("Change LMS connections, mappings, imports, indicators, flags and findings")


class ImportState(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    APPLIED = "applied", _("Imported")
