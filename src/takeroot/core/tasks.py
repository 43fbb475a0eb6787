import datetime

from django.tasks import task

from .mail import send_outgoing_mail


@task
def task_send_mail(*, mail_id: int) -> None:
    send_outgoing_mail(mail_id)


@task
def task_send_digest(*, person_id: int, now: str) -> None:
    from .digest import send_digest
    from .models import Person
    from .scope import across_workspaces

    with across_workspaces():
        person = Person.objects.select_related("user", "workspace").filter(pk=person_id).first()
    if person is not None:
        send_digest(person=person, now=datetime.datetime.fromisoformat(now))
