from django.tasks import task

from .mail import send_outgoing_mail


@task
def task_send_mail(*, mail_id: int) -> None:
    send_outgoing_mail(mail_id)
