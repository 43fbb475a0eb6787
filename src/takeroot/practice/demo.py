"""Demo practice tasks in Nordwind: for each running and finished cohort one or two tasks tied to
real work, assigned to everyone enrolled, with assignments at every stage (not started, waiting
for review, trainer accepted and waiting for the supervisor, needs more work, resubmitted,
completed), report versions, a text file now and then, and reviews.

The demo participant has a task to report on and one sent back; the demo manager has reports of
their people waiting for the supervisor's review. Called by core's demo builder once per demo
workspace, inside its scope and transaction, after the action-plan demo. Written through the
services; every random choice comes from the ``rng`` passed in.
"""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from takeroot.core.demo import DEMO_SLUGS
from takeroot.core.models import Person, Workspace
from takeroot.programmes.models import Cohort

from . import services
from .enums import ReviewRole
from .models import PracticeAssignment, PracticeTask

NORDWIND = DEMO_SLUGS[0]
TASKS = [
    (
        "Use the new client-communication technique with 3 key clients",
        "Pick three key clients and use the technique from the workshop in your next conversation with each. "
        "Then write a short report: what you tried, how the client reacted, what you would do differently.",
    ),
    (
        "Run one team meeting with the new structure",
        "Prepare your next team meeting with the agenda template from the training and keep it to 30 minutes. "
        "Report what changed and attach the agenda if you like.",
    ),
    (
        "Try the checklist on two shifts",
        "Use the checklist on two of your shifts and count the errors caught. Report the numbers and one "
        "thing the checklist should change.",
    ),
    (
        "Give feedback with the situation–behaviour–impact model",
        "Give one colleague feedback using the model. Report how you prepared, what you said and what happened.",
    ),
]
REPORTS = [
    "I used the technique with three clients this week. Two conversations were clearly shorter and the "
    "clients agreed on next steps on the call. The third client wanted more detail first.",
    "Done on Tuesday's shift and Thursday's. The checklist caught four errors before they left the "
    "warehouse; two of them were labels.",
    "I prepared the meeting with the template; we finished in 28 minutes and everyone knew their next step.",
    "I gave feedback to a colleague about the handover notes. I prepared with the model and kept it short; "
    "she asked for an example and changed the notes the next day.",
]
MORE_WORK = "Good start. Please add what the client said and what you will change next time."
ACCEPT = ["Well done — this is exactly the point of the exercise.", "Clear report, thank you.", ""]
# What happens to the n-th assignment of a task.
STAGES = ["completed", "submitted", "not_started", "needs_more_work", "resubmitted", "trainer_accepted", "completed"]


def _person(workspace: Workspace, role: str) -> Person | None:
    return Person.objects.filter(workspace=workspace, user__email=f"{role}@demo.takeroot.test").first()


def build_practice_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give Nordwind's running and finished cohorts practice tasks with assignments at every stage.

    Side effects: tasks, assignments (their mail is queued like any assignment's), reports, text
    files in the default storage, reviews and their audit entries. Returns how many tasks and
    reports it made; other workspaces get none."""
    counts = {"practice tasks": 0, "practice reports": 0}
    if workspace.slug != NORDWIND:
        return counts
    participant, manager = _person(workspace, "participant"), _person(workspace, "manager")
    cohorts = Cohort.objects.filter(workspace=workspace, starts_on__lte=today).order_by("starts_on", "pk")
    for index, cohort in enumerate(cohorts):
        trainer = cohort.trainers.order_by("pk").first()
        running = cohort.ends_on >= today
        if index % 2 == 1:
            services.save_practice_settings(cohort=cohort, actor=None, trainer_alone=True)
        for number in range(2 if index % 3 != 2 else 1):
            title, instructions = TASKS[(index + number) % len(TASKS)]
            task = services.create_task(
                cohort=cohort,
                actor=trainer.user if trainer else None,
                created_by=trainer,
                title=title,
                instructions=instructions,
                due_on=timezone.localdate(),  # the service refuses a past day; the real one is set below
            )
            # Dates relative to the cohort: due three weeks after its start, or soon for a running one.
            due = cohort.starts_on + datetime.timedelta(days=21)
            if running and number == 0:
                due = today + datetime.timedelta(days=rng.randint(3, 14))
            PracticeTask.objects.filter(pk=task.pk).update(due_on=due)
            counts["practice tasks"] += 1
            assignments = services.assign_task(task=task, actor=None, assigned_by=trainer, notify=False)
            for position, assignment in enumerate(assignments):
                person = assignment.enrolment.person
                stage = (
                    STAGES[(position + number) % len(STAGES)]
                    if running
                    else rng.choice(["completed"] * 4 + ["needs_more_work", "not_started"])
                )
                if person == participant:
                    stage = "needs_more_work" if number == 0 else "not_started"
                elif manager is not None and assignment.supervisor == manager:
                    stage = "trainer_accepted"
                counts["practice reports"] += _play(assignment, stage, trainer, rng)
    return counts


def _play(assignment: PracticeAssignment, stage: str, trainer: Person | None, rng: random.Random) -> int:
    """Bring one assignment to the stage; returns how many reports it got."""
    if stage == "not_started":
        return 0
    person = assignment.enrolment.person
    files = [ContentFile(b"Notes from the conversations:\n- client A\n- client B\n- client C\n", name="notes.txt")]
    services.submit_report(
        assignment=assignment,
        actor=person.user,
        author=person,
        text=rng.choice(REPORTS),
        files=files if rng.random() < 0.5 else [],
    )
    if stage == "submitted" or trainer is None:
        return 1
    supervisor = assignment.supervisor
    if stage in ("needs_more_work", "resubmitted"):
        services.request_more_work(
            assignment=assignment, actor=trainer.user, reviewer=trainer, role=ReviewRole.TRAINER, comment=MORE_WORK
        )
        if stage == "needs_more_work":
            return 1
        services.submit_report(
            assignment=assignment,
            actor=person.user,
            author=person,
            text=rng.choice(REPORTS) + " I added what the clients said and what I will change next time.",
        )
        return 2
    services.accept_report(
        assignment=assignment, actor=trainer.user, reviewer=trainer, role=ReviewRole.TRAINER, comment=rng.choice(ACCEPT)
    )
    if stage == "completed" and supervisor is not None and assignment.state != "completed":
        services.accept_report(
            assignment=assignment,
            actor=supervisor.user,
            reviewer=supervisor,
            role=ReviewRole.SUPERVISOR,
            comment=rng.choice(ACCEPT),
        )
    return 1
