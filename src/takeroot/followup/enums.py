from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StepKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("Ask for the action plan")
    CHECK_IN = "check_in", _("Check-in reminder")
    MATERIAL = "material", _("Reminder material")
    SESSION_INVITATION = "session_invitation", _("Follow-up session invitation")
    MANAGER_TALK = "manager_talk", _("Manager conversation prompt")
    MESSAGE = "message", pgettext_lazy("follow-up step kind", "Message")
    # Kinds other apps render through ``step_kinds`` (registered in their apps.py).
    QUIZ_ROUND = "quiz_round", _("Quiz round")
    SURVEY = "survey", _("Survey")


# Kinds that repeat (``Step.repeat_every_days`` / ``repeat_for_days``).
REPEATING_KINDS = (StepKind.CHECK_IN, StepKind.QUIZ_ROUND)


class Anchor(models.TextChoices):
    START = "start", _("cohort start")
    FIRST_SESSION = "first_session", _("first session")
    LAST_SESSION = "last_session", _("last session")
    END = "end", _("cohort end")


class Audience(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    MANAGER = "manager", _("Line manager")
    MENTOR = "mentor", _("Mentor")
    TRAINER = "trainer", _("Trainer")
    BUDDY = "buddy", _("Accountability buddy")


class Channel(models.TextChoices):
    MAIL = "mail", _("Mail")
    WEBHOOK = "webhook", _("Webhook")


class MaterialKind(models.TextChoices):
    TEXT = "text", _("Micro-lesson")
    CHECKLIST = "checklist", _("Checklist")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


class TouchpointState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("touchpoint state", "Scheduled")
    SENDING = "sending", pgettext_lazy("touchpoint state", "Sending")
    SENT = "sent", pgettext_lazy("touchpoint state", "Sent")
    OPENED = "opened", pgettext_lazy("touchpoint state", "Opened")
    DONE = "done", pgettext_lazy("touchpoint state", "Done")
    SKIPPED = "skipped", pgettext_lazy("touchpoint state", "Skipped")
    FAILED = "failed", pgettext_lazy("touchpoint state", "Failed")
    CANCELLED = "cancelled", pgettext_lazy("touchpoint state", "Cancelled")


# Touchpoints that may still move or be cancelled; the others have happened.
PENDING_STATES = (TouchpointState.SCHEDULED,)
DELIVERED_STATES = (TouchpointState.SENT, TouchpointState.OPENED, TouchpointState.DONE)


class WebhookFormat(models.TextChoices):
    JSON = "json", _("Signed JSON")
    SLACK = "slack", _("Slack incoming webhook")
    TEAMS = "teams", _("Microsoft Teams incoming webhook")


class NonUrgentMail(models.TextChoices):
    IMMEDIATE = "immediate", _("Send each message when it is due")
    DIGEST = "digest", _("Collect them in my digest")


class LinkPurpose(models.TextChoices):
    OPEN = "open", _("Open a page")
    CHECK_IN = "check_in", _("Check in")
    CONFIRM_ATTENDANCE = "attendance", _("Confirm attendance")
    ASK_QUESTION = "question", _("Ask a question")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")
    SURVEY = "survey", _("Answer a survey")
    QUIZ_ANSWER = "quiz", _("Answer a quiz question")


class Rsvp(models.TextChoices):
    PENDING = "pending", pgettext_lazy("session answer", "No answer yet")
    ATTENDING = "attending", pgettext_lazy("session answer", "Will attend")
    DECLINED = "declined", pgettext_lazy("session answer", "Cannot attend")
