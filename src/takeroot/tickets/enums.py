from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    CONTENT = "content", _("Question about the content")
    RESOURCE = "resource", _("Missing resource or tool")
    SCHEDULE = "schedule", _("Schedule conflict")
    TECHNICAL = "technical", _("Technical problem")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", pgettext_lazy("ticket category", "Other")


class TicketState(models.TextChoices):
    OPEN = "open", pgettext_lazy("ticket state", "Waiting for an answer")
    ANSWERED = "answered", pgettext_lazy("ticket state", "Answered, waiting for the learner")
    CLOSED = "closed", pgettext_lazy("ticket state", "Closed")


class ClosedHow(models.TextChoices):
    CONFIRMED = "confirmed", _("The learner confirmed the answer helped")
    AUTOMATIC = "automatic", _("Closed by itself: no reply from the learner")
    WITHDRAWN = "withdrawn", _("Withdrawn by the learner")


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    MAIL_LINK = "mail_link", _("Link in a follow-up mail")
    INBOUND_MAIL = "inbound_mail", _("Reply by mail")
    API = "api", _("API")


class Clock(models.TextChoices):
    WORKING_HOURS = "working_hours", _("Working hours")
    WALL_CLOCK = "wall_clock", _("Around the clock")


class RouteTo(models.TextChoices):
    TRAINER = "trainer", _("The cohort's trainers")
    ADMIN = "admin", _("The workspace's admins")
    MENTOR = "mentor", _("The participant's mentor")
    PERSON = "person", _("A named person")


class CommentKind(models.TextChoices):
    MESSAGE = "message", pgettext_lazy("ticket comment", "Message")
    ANSWER = "answer", pgettext_lazy("ticket comment", "Answer")
    NOTE = "note", _("Internal note")
    EVENT = "event", pgettext_lazy("ticket comment", "Event")
