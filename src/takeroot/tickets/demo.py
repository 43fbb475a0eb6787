"""Demo tickets: Nordwind's participants have asked questions over the past eight weeks, and the
queue holds a ticket in every state: waiting, breaching soon, breached, answered and waiting for
the learner, closed by the learner's confirmation, closed by itself, reopened, withdrawn. A trainer
published a patch (a short lesson) to a module after one of them, and one routing rule shows the
workspace's own routing.

Written through the services with explicit moments in the past, then the promise clock runs once
(warning, escalation and closing by itself, as the periodic job would). The mail the services queue
is removed afterwards: the demo sends none. Called by core's demo builder once per demo workspace,
inside its scope and transaction, after the programmes demo. Every random choice comes from the
``rng`` passed in.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from takeroot.core.demo import DEMO_SLUGS, LOGIN_EMAILS
from takeroot.core.models import OutgoingMail, Person, Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Module

from . import services
from .enums import Category, RouteTo
from .models import Ticket
from .patches import publish_patch
from .settings_forms import save_routing_rule

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
PROGRAMME = "Customer conversations that stick"


@dataclass(frozen=True)
class Story:
    """One scripted ticket: raised ``ago`` before the demo's moment, then answered after
    ``answer_after`` (or not), then the learner's move (``helped``, ``reopen_ago``, ``withdraw``)."""

    category: str
    module: int | None
    subject: str
    body: str
    ago: datetime.timedelta
    answer_after: datetime.timedelta | None = None
    answer: str = ""
    helped: bool | None = None  # True: confirmed, a day after the answer
    reopen_ago: datetime.timedelta | None = None  # "I still need help", this long before the moment
    withdraw: bool = False
    patch: tuple[str, str] | None = None  # (title, lesson) published after the answer


# The demo participant's own tickets first, then the queue's other states.
STORIES = (
    Story(
        Category.CONTENT,
        0,
        "How long may the opening take on a complaint call?",
        "The workshop said under thirty seconds for routine contacts. On a complaint the customer talks first "
        "for a minute or more: do I still restate their reason before anything else?",
        ago=12 * DAY,
        answer_after=3 * HOUR,
        answer="Yes: let them finish, then restate the reason in their words. The thirty seconds is for routine "
        "contacts; on a complaint the restating is what makes them feel heard.",
        helped=True,
        patch=(
            "Openings on complaint calls",
            "Let the customer finish. Then: greeting, your name, and their reason in their own words "
            "(“So the parcel came damaged and nobody called back, is that right?”). Only then solve.",
        ),
    ),
    Story(
        Category.RESOURCE,
        2,
        "The LEAP card from the workshop is missing",
        "We got the printed LEAP steps on the first day, but the PDF is not among the materials. Could you add it?",
        ago=3 * DAY,
        answer_after=5 * HOUR,
        answer="Added to the materials of the module: “LEAP steps (one page)”. Thanks for noticing!",
    ),
    Story(
        Category.CONTENT,
        1,
        "Naming the emotion feels awkward in Polish",
        "“I can hear you are frustrated” sounds stiff to our customers. Is there a better way?",
        ago=2 * HOUR,
    ),
    Story(
        Category.SCHEDULE,
        None,
        "The follow-up session clashes with my shift",
        "The practice review on Thursday is during my evening shift. Can I join the Friday group instead?",
        ago=21 * HOUR,
    ),
    Story(
        Category.TECHNICAL,
        None,
        "Recordings do not play in the practice tool",
        "The call recordings for the practice task show an error in the browser and do not start.",
        ago=30 * HOUR,
    ),
    Story(
        Category.CONTENT,
        3,
        "What belongs in a case note?",
        "How long should the case note be, and does the customer's mood belong in it?",
        ago=15 * DAY,
        answer_after=20 * HOUR,
        answer="Three lines: what the customer needs, what you did, what happens next and who does it. "
        "Mood only when it changes what the next colleague should do.",
    ),
    Story(
        Category.CONTENT,
        2,
        "Saying no to a refund outside the policy",
        "When the customer insists on a refund we cannot give, the LEAP steps do not seem to end the call.",
        ago=4 * DAY,
        answer_after=6 * HOUR,
        answer="End with the realistic alternative and what happens next; the no itself comes once, clearly.",
        reopen_ago=5 * HOUR,
    ),
    Story(
        Category.COMPLAINT,
        None,
        "The room was too cold on day two",
        "Several of us were cold all afternoon on the second workshop day.",
        ago=20 * DAY,
        answer_after=30 * HOUR,
        answer="Sorry about that. Facilities have fixed the thermostat in the Wisła room.",
        helped=True,
    ),
    Story(
        Category.OTHER,
        None,
        "Never mind my last question",
        "I found the answer in the materials, sorry.",
        ago=6 * DAY,
        withdraw=True,
    ),
)

# Earlier tickets over eight weeks, for the metrics: (category, module or None, subject).
BACKGROUND = (
    (Category.CONTENT, 0, "Greeting in Swedish or English first?"),
    (Category.CONTENT, 2, "LEAP with a customer who is shouting"),
    (Category.CONTENT, 2, "How to log a complaint about a colleague"),
    (Category.RESOURCE, 1, "Slides of the listening module"),
    (Category.CONTENT, 1, "Clarifying questions on chat"),
    (Category.TECHNICAL, None, "Cannot upload my practice report"),
    (Category.CONTENT, 2, "Angry customer who will not give their name"),
    (Category.SCHEDULE, None, "Missed day one because of sick leave"),
    (Category.CONTENT, 3, "Next steps when the back office decides"),
    (Category.RESOURCE, 2, "Example complaint logs"),
    (Category.CONTENT, 2, "When to hand an escalation to the shift leader"),
    (Category.OTHER, None, "Certificate for the workshop"),
)


def _moment(today: datetime.date) -> datetime.datetime:
    """The demo's "now": the real time when built today, else midday of ``today``."""
    if today == timezone.localdate():
        return timezone.now()
    return datetime.datetime.combine(today, datetime.time(12, 0), tzinfo=datetime.UTC)


class _Builder:
    def __init__(self, workspace: Workspace, rng: random.Random, now: datetime.datetime):
        self.workspace, self.rng, self.now = workspace, rng, now
        self.admin = Person.objects.filter(workspace=workspace, user__email=LOGIN_EMAILS["admin"]).first()
        self.modules: dict[int, list[Module]] = {}
        self.counts = {"tickets": 0, "patches": 0, "routing rules": 0}

    def modules_of(self, enrolment: Enrolment) -> list[Module]:
        programme_id = enrolment.cohort.programme_id
        if programme_id not in self.modules:
            self.modules[programme_id] = list(Module.objects.filter(programme_id=programme_id).order_by("position"))
        return self.modules[programme_id]

    def responder(self, ticket: Ticket) -> Person:
        return ticket.owner or self.admin

    def raise_(self, enrolment: Enrolment, category: str, module: int | None, subject: str, body: str, at) -> Ticket:
        modules = self.modules_of(enrolment)
        chosen = modules[module % len(modules)] if module is not None and modules else None
        self.counts["tickets"] += 1
        return services.raise_ticket(
            person=enrolment.person,
            category=category,
            subject=subject,
            body=body,
            enrolment=enrolment,
            module=chosen,
            now=at,
        )

    def story(self, enrolment: Enrolment, story: Story) -> None:
        raised_at = self.now - story.ago
        ticket = self.raise_(enrolment, story.category, story.module, story.subject, story.body, raised_at)
        if story.withdraw:
            services.withdraw(ticket=ticket, person=enrolment.person, now=raised_at + 2 * HOUR)
            return
        if story.answer_after is None:
            return
        answered_at = raised_at + story.answer_after
        responder = self.responder(ticket)
        services.answer(ticket=ticket, person=responder, body=story.answer, now=answered_at)
        if story.patch is not None and ticket.module_id:
            title, lesson = story.patch
            publish_patch(
                ticket=ticket,
                module=ticket.module,
                actor=responder.user,
                author=responder,
                title=title,
                body=lesson,
                now=answered_at + HOUR,
            )
            self.counts["patches"] += 1
        if story.helped is not None:
            services.confirm(ticket=ticket, person=enrolment.person, helped=story.helped, now=answered_at + DAY)
        elif story.reopen_ago is not None:
            services.confirm(ticket=ticket, person=enrolment.person, helped=False, now=self.now - story.reopen_ago)

    def background(self, enrolments: list[Enrolment]) -> None:
        """Earlier tickets, mostly answered within the promise, a few late, most confirmed."""
        for index, (category, module, subject) in enumerate(BACKGROUND):
            enrolment = enrolments[index % len(enrolments)]
            raised_at = self.now - datetime.timedelta(days=self.rng.randint(16, 56), hours=self.rng.randint(0, 9))
            body = subject + "?"
            ticket = self.raise_(enrolment, category, module, subject, body, raised_at)
            hours = self.rng.choice((1, 2, 3, 5, 8, 14, 20, 23, 30, 40))
            answered_at = raised_at + hours * HOUR
            answer = f"Thanks for asking: see the module materials, section “{subject}”."
            services.answer(ticket=ticket, person=self.responder(ticket), body=answer, now=answered_at)
            if self.rng.random() < 0.15:  # "I still need help", then a second answer that helped
                services.confirm(ticket=ticket, person=enrolment.person, helped=False, now=answered_at + 6 * HOUR)
                services.answer(ticket=ticket, person=self.responder(ticket), body=answer, now=answered_at + DAY)
                answered_at += DAY
            if self.rng.random() < 0.75:
                services.confirm(ticket=ticket, person=enrolment.person, helped=True, now=answered_at + 2 * DAY)

    def pass_to_the_trainer_login(self) -> None:
        """The cohort's first trainer passes a waiting question to the trainer login, so the
        trainer's "mine" is not empty."""
        trainer = Person.objects.filter(workspace=self.workspace, user__email=LOGIN_EMAILS["trainer"]).first()
        ticket = Ticket.objects.filter(workspace=self.workspace, subject=STORIES[2].subject).first()
        if trainer is None or ticket is None or ticket.owner_id == trainer.pk:
            return
        actor = ticket.owner.user if ticket.owner else self.admin.user
        services.reassign(ticket=ticket, actor=actor, owner=trainer, now=ticket.created_at + HOUR)

    def routing_rule(self) -> None:
        """Technical problems go to the admin login by name."""
        if self.admin is None:
            return
        save_routing_rule(
            workspace=self.workspace,
            actor=self.admin.user,
            category=Category.TECHNICAL,
            route_to=RouteTo.PERSON,
            person=self.admin,
        )
        self.counts["routing rules"] += 1


def _enrolments(workspace: Workspace, today: datetime.date) -> list[Enrolment]:
    """The programme's participants who have started, the demo participant first."""
    found = Enrolment.objects.filter(
        workspace=workspace,
        cohort__programme__name=PROGRAMME,
        cohort__starts_on__lte=today,
        status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED),
    ).select_related("person__user", "cohort__programme")
    enrolments = list(found.order_by("-cohort__starts_on", "pk"))
    enrolments.sort(key=lambda e: e.person.user.email != LOGIN_EMAILS["participant"])
    return enrolments


def build_tickets_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give Nordwind's customer-conversations programme tickets in every state, a patch and a
    routing rule. Returns what it made; other workspaces get nothing."""
    builder = _Builder(workspace, rng, _moment(today))
    enrolments = _enrolments(workspace, today)
    if workspace.slug != DEMO_SLUGS[0] or not enrolments or builder.admin is None:
        return builder.counts
    first_mail = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    builder.routing_rule()
    builder.background(enrolments[1:] or enrolments)
    for index, story in enumerate(STORIES):
        # The demo participant has the first two; the others come from the rest of the programme.
        enrolment = enrolments[0] if index < 2 else enrolments[(index - 1) % len(enrolments)]
        builder.story(enrolment, story)
    builder.pass_to_the_trainer_login()
    services.run_clock(now=builder.now)
    # The demo sends no mail: what the services queued goes (a queued send finds nothing to do).
    OutgoingMail.objects.filter(pk__gt=first_mail, workspace=workspace).delete()
    return builder.counts
