"""Benchmark: the worker sending 100,000 due touchpoints (20,000 enrolments, a five-step design)
to a local SMTP sink, against a bare ``smtplib`` loop sending as many pre-rendered messages over
one connection to the same sink.

Run from the repository root: ``.venv/bin/python bench/followup_send.py``. It builds the rows
directly on a fresh SQLite database, starts an aiosmtpd sink in its own process (counting
messages only), runs ``send_due`` until nothing is due, then the bare loop, and prints ``BENCH``
lines: touchpoints per second, messages per second and the ratio (target: under 2).
"""

import datetime
import email.policy
import multiprocessing
import os
import smtplib
import socket
import sys
import time

from _fresh import in_fresh_installation

ENROLMENTS = int(os.environ.get("BENCH_ENROLMENTS", "20000"))
STEPS = 5


def _sink(port, count, ready) -> None:
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # count, don't log every command

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build() -> int:
    from django.utils import timezone

    from takeroot.core.models import Person, User, Workspace
    from takeroot.followup.enums import StepKind
    from takeroot.followup.models import Design, Step, Touchpoint
    from takeroot.programmes.enums import EnrolmentStatus
    from takeroot.programmes.models import Cohort, Enrolment, Programme

    workspace = Workspace.objects.create(name="Bench", slug="bench")
    programme = Programme.objects.create(workspace=workspace, name="Feedback that lands")
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        workspace=workspace,
        programme=programme,
        name="Everyone",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=20),
    )
    design = Design.objects.create(workspace=workspace, programme=programme, name="Five steps")
    kinds = [StepKind.ACTION_PLAN, StepKind.MATERIAL, StepKind.CHECK_IN, StepKind.MESSAGE, StepKind.MESSAGE]
    steps = [
        Step.objects.create(
            workspace=workspace,
            design=design,
            position=n,
            kind=kind,
            essential=n == 0,
            material_url="https://example.com/lesson" if kind == StepKind.MATERIAL else "",
            content={
                "en": {
                    "subject": f"Step {n + 1} of {{programme}} for {{name}}",
                    "body": "Hello {name},\n\nA few weeks after {programme} ({cohort}): how is it going?",
                    "checklist": ["Try it once", "Tell {manager}"],
                },
                "pl": {"subject": f"Krok {n + 1}: {{programme}}", "body": "Cześć {name},\n\njak idzie?"},
            },
        )
        for n, kind in enumerate(kinds)
    ]
    users = User.objects.bulk_create(
        User(email=f"p{n}@bench.test", name=f"Person {n}", password="!", language="pl" if n % 4 == 0 else "en")
        for n in range(ENROLMENTS)
    )
    people = Person.objects.bulk_create(Person(workspace=workspace, user=user) for user in users)
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(workspace=workspace, cohort=cohort, person=person, status=EnrolmentStatus.ACTIVE) for person in people
    )
    due = timezone.now() - datetime.timedelta(hours=1)
    Touchpoint.objects.bulk_create(
        (
            Touchpoint(workspace=workspace, step=step, enrolment=e, recipient_id=e.person_id, due_at=due)
            for e in enrolments
            for step in steps
        ),
        batch_size=5000,
    )
    return Touchpoint.objects.count()


def _bare_loop(port: int, total: int) -> float:
    """Send ``total`` pre-rendered messages (the worker's own, cycled) over one connection."""
    from takeroot.followup import channels, delivery
    from takeroot.followup.models import Touchpoint

    samples = []
    for touchpoint in Touchpoint.objects.select_related("recipient__user").order_by("pk")[:500]:
        rendered = delivery.render(touchpoint)
        message = channels.build_mail(rendered, to=touchpoint.recipient.user.email)
        samples.append((message.from_email, message.to, message.message(policy=email.policy.SMTP).as_bytes()))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(total):
            sender, to, data = samples[n % len(samples)]
            smtp.sendmail(sender, to, data)
    return time.perf_counter() - started


def run() -> None:
    from django.test import override_settings

    from takeroot.core.scope import across_workspaces
    from takeroot.followup.delivery import send_due

    port = _free_port()
    count = multiprocessing.Value("l", 0)
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=_sink, args=(port, count, ready), daemon=True)
    sink.start()
    ready.wait(30)
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
        }
    }
    try:
        with across_workspaces(), override_settings(MAILERS=mailers, DEBUG=False):
            total = _build()
            started = time.perf_counter()
            if os.environ.get("BENCH_PROFILE"):
                import cProfile

                cProfile.runctx("while send_due(limit=500): pass", globals(), locals(), sort="cumulative")
            while send_due(limit=500):
                pass
            ours = time.perf_counter() - started
            sent = count.value
            count.value = 0
            bare = _bare_loop(port, sent)
    finally:
        sink.terminate()
        sink.join()
    if sent != total:
        print(f"sink received {sent} of {total} messages", file=sys.stderr)
    ours_rate, bare_rate = total / ours, sent / bare
    print(f"BENCH followup_send_100000 {ours_rate:.0f} touchpoints/s")
    print(f"BENCH followup_send_bare_smtplib {bare_rate:.0f} messages/s")
    print(f"BENCH followup_send_ratio {bare_rate / ours_rate:.2f} x")


if __name__ == "__main__":
    in_fresh_installation(run)
