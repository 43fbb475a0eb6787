"""The outbox. Every message is an ``OutgoingMail`` row, sent by a task after the commit.

Sending claims the row with a conditional update first, so a retried or duplicated task never
sends a message twice. Only transient SMTP errors are retried, with back-off.
"""

import email.policy
import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage, MIMEPart

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import MailState
from .models import OutgoingMail, User, Workspace

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5

# The app that keeps people's mail preferences (follow-up) registers a policy for optional mail:
# ``policy(user)`` returns the headers optional mail to them carries (List-Unsubscribe), or None
# when they turned optional mail off.
OptionalMailPolicy = Callable[[User], dict | None]
OPTIONAL_MAIL_POLICIES: list[OptionalMailPolicy] = []


def register_optional_mail_policy(policy: OptionalMailPolicy) -> None:
    if policy not in OPTIONAL_MAIL_POLICIES:
        OPTIONAL_MAIL_POLICIES.append(policy)


def queue_mail(
    *,
    recipient: User,
    template: str,
    context: dict,
    workspace: Workspace | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
    optional: bool = False,
) -> OutgoingMail | None:
    """Queue ``<template>.subject.txt/.txt/.html`` for one person; rendered when sent.

    ``context`` must be JSON: the recipient is added at send time. ``attachments`` are
    ``{"filename", "content_type", "content"}`` with text content. ``optional`` mail (what no
    programme needs, such as a newsletter) is not queued for people who turned optional mail off
    (returns None) and carries their one-click unsubscribe headers."""
    if optional:
        extra = {}
        for policy in OPTIONAL_MAIL_POLICIES:
            allowed = policy(recipient)
            if allowed is None:
                return None
            extra.update(allowed)
        headers = {**extra, **(headers or {})}
    mail = OutgoingMail.objects.create(
        workspace=workspace,
        recipient=recipient,
        to_email=recipient.email,
        template=template,
        context=context,
        headers=headers or {},
        attachments=attachments or [],
    )
    enqueue_on_commit(mail)
    return mail


def queue_rendered_mail(
    *, to_email: str, subject: str, body_text: str, body_html: str = "", recipient: User | None = None
) -> OutgoingMail:
    """Queue a message that was already rendered (account mail from the sign-in library)."""
    mail = OutgoingMail.objects.create(
        recipient=recipient, to_email=to_email, subject=subject, body_text=body_text, body_html=body_html
    )
    enqueue_on_commit(mail)
    return mail


def enqueue_on_commit(mail: OutgoingMail, *, delay: timedelta | None = None) -> None:
    from .tasks import task_send_mail

    def enqueue():
        task = task_send_mail
        if delay:
            if not task.get_backend().supports_defer:
                return  # the periodic ``retry_due_mail`` job picks it up at ``next_attempt_at``
            task = task.using(run_after=timezone.now() + delay)
        task.enqueue(mail_id=mail.pk)

    transaction.on_commit(enqueue)


def render_mail(mail: OutgoingMail) -> EmailMultiAlternatives:
    if mail.template:
        user = mail.recipient
        context = {**mail.context, "recipient": user, "base_url": settings.BASE_URL}
        with translation.override(user.language), timezone.override(user.timezone):
            subject = " ".join(render_to_string(f"mail/{mail.template}.subject.txt", context).split())
            text = render_to_string(f"mail/{mail.template}.txt", context)
            html = render_to_string(f"mail/{mail.template}.html", context)
    else:
        subject, text, html = mail.subject, mail.body_text, mail.body_html
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [mail.to_email],
        headers={"Auto-Submitted": "auto-generated", **mail.headers},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in mail.attachments:
        message.attach(_attachment(**attachment))
    return message


def _attachment(*, filename: str, content: str, content_type: str) -> MIMEPart:
    """A text attachment as a MIME part, keeping the type's parameters: Django's ``attach``
    takes everything after the slash as the subtype, and calendar invitations need
    ``text/calendar; method=REQUEST`` for mail programs to offer "accept" and "decline"."""
    header = EmailMessage()
    header["Content-Type"] = content_type
    params = {key: value for key, value in header["Content-Type"].params.items() if key != "charset"}
    part = MIMEPart(policy=email.policy.default)
    maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
    if maintype == "text":
        part.set_content(
            content, subtype=subtype, charset="utf-8", disposition="attachment", filename=filename, params=params
        )
    else:
        part.set_content(
            content.encode(), maintype, subtype, disposition="attachment", filename=filename, params=params
        )
    return part


def send_outgoing_mail(mail_id: int) -> bool:
    """Send one queued message exactly once. Returns whether this call sent it."""
    claimed = OutgoingMail.objects.filter(pk=mail_id, state=MailState.PENDING).update(state=MailState.SENDING)
    if claimed != 1:
        return False
    mail = OutgoingMail.objects.select_related("recipient").get(pk=mail_id)
    mail.attempts += 1
    try:
        render_mail(mail).send()
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPResponseException, OSError) as error:
        transient = not isinstance(error, smtplib.SMTPResponseException) or 400 <= error.smtp_code < 500
        mail.last_error = str(error)[:2000]
        if transient and mail.attempts < MAX_ATTEMPTS:
            delay = timedelta(minutes=2**mail.attempts)
            mail.state, mail.next_attempt_at = MailState.PENDING, timezone.now() + delay
            mail.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])
            enqueue_on_commit(mail, delay=delay)
        else:
            mail.state = MailState.FAILED
            mail.save(update_fields=["state", "attempts", "last_error"])
        log.warning("mail %s to %s failed: %s", mail.pk, mail.to_email, error)
        return False
    mail.state = MailState.SENT
    mail.sent_at = timezone.now()
    mail.save(update_fields=["state", "attempts", "sent_at", "last_error"])
    return True
