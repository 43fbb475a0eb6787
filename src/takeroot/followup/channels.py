"""The two ways a touchpoint travels: mail (Django's mailer over SMTP, one connection per batch)
and a webhook (a signed JSON POST to the workspace's address, as our own JSON or in the shapes
Slack's and Microsoft Teams' incoming webhooks accept).

Both report failures as ``DeliveryError`` with ``transient`` saying whether trying again later
may help; the delivery service decides about retries.
"""

import base64
import contextlib
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.translation import gettext as _

from .enums import WebhookFormat

if TYPE_CHECKING:
    from .models import DeliverySettings, Touchpoint
    from .rendering import Rendered

WEBHOOK_TIMEOUT = 10  # seconds


class DeliveryError(Exception):
    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.transient = transient


# Mail --------------------------------------------------------------------------------------------


def build_mail(rendered: "Rendered", *, to: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        rendered.subject, rendered.text, settings.DEFAULT_FROM_EMAIL, [to] if to else [], headers=rendered.headers
    )
    if rendered.html:
        message.attach_alternative(rendered.html, "text/html")
    return message


def _smtp_error(error: smtplib.SMTPException) -> DeliveryError:
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, text = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return DeliveryError(str(error) or error.__class__.__name__, transient=True)
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    # 4xx: the server asks to try later; 5xx: it will not take this message.
    return DeliveryError(f"{code} {text}", transient=not 500 <= code < 600)


def _encoded_header(value: str) -> str:
    """A header value as RFC 2047 encoded words when it is not plain ASCII (short words, so no
    line passes the limit). CR and LF never reach the header."""
    value = " ".join(value.split())
    if value.isascii():
        return value
    words = [value[i : i + 11] for i in range(0, len(value), 11)]
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w.encode()).decode()}?=" for w in words)


def _base64_part(content_type: str, text: str) -> bytes:
    body = base64.encodebytes(text.encode()).replace(b"\n", b"\r\n")
    head = f'Content-Type: {content_type}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    return head.encode() + body


def mail_bytes(rendered: "Rendered", *, sender: str, to: str) -> bytes:
    """The whole message, encoded directly: the ``email`` package's header folding costs more
    than rendering, and every value here is either ours or encoded (see the tests)."""
    boundary = f"=_takeroot_{uuid.uuid4().hex}"
    headers = {
        "From": sender,
        "To": to,
        "Subject": _encoded_header(rendered.subject),
        "Date": formatdate(),
        "MIME-Version": "1.0",
        "Content-Type": f'multipart/alternative; boundary="{boundary}"',
    }
    for name, value in rendered.headers.items():
        headers[name] = _encoded_header(str(value))
    if "Message-ID" not in headers:
        headers["Message-ID"] = make_msgid(domain="takeroot")
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    parts = [_base64_part("text/plain", rendered.text)]
    if rendered.html:
        parts.append(_base64_part("text/html", rendered.html))
    separator = f"--{boundary}\r\n".encode()
    body = b"".join(separator + part for part in parts) + f"--{boundary}--\r\n".encode()
    return head.encode() + b"\r\n" + body


def _sender() -> tuple[str, str]:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name, address), charset="utf-8"), address


def send_mails(mails: "list[tuple[Rendered, str]]") -> Iterator[DeliveryError | None]:
    """Send ``(rendered, to)`` pairs over one connection of the default mailer, yielding for
    each, in order, ``None`` (accepted) or the error. A dropped connection is opened again once
    per message; when the server cannot be reached, every remaining message gets that
    transient error. Other mail backends (memory, console) get Django messages."""
    if not mails:
        return
    mailer = mailers.default
    try:
        mailer.open()
    except OSError as error:
        unreachable = DeliveryError(
            _("The mail server could not be reached: %(error)s") % {"error": error}, transient=True
        )
        for _mail in mails:
            yield unreachable
        return
    smtp = isinstance(mailer, SmtpBackend)
    header_sender, envelope_sender = _sender()

    def send(rendered: "Rendered", to: str) -> None:
        if smtp:
            mailer.connection.sendmail(envelope_sender, [to], mail_bytes(rendered, sender=header_sender, to=to))
        else:
            mailer.send_messages([build_mail(rendered, to=to)])

    try:
        for index, (rendered, to) in enumerate(mails):
            if not to:
                yield DeliveryError(_("The recipient has no email address."), transient=False)
                continue
            try:
                try:
                    send(rendered, to)
                except smtplib.SMTPServerDisconnected:
                    mailer.close()
                    mailer.open()
                    send(rendered, to)
            except smtplib.SMTPException as error:
                yield _smtp_error(error)
            except OSError as error:
                lost = DeliveryError(str(error), transient=True)
                mailer.close()
                try:
                    mailer.open()
                except OSError:
                    for _mail in mails[index:]:
                        yield lost
                    return
                yield lost
            else:
                yield None
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            mailer.close()  # the messages are out; a failing QUIT changes nothing


# Webhooks ----------------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is an answer we do not follow: the POST would turn into a GET


_opener = urllib.request.build_opener(_NoRedirects)


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_payload(fmt: str, *, touchpoint: "Touchpoint", rendered: "Rendered") -> dict:
    """The body for the workspace's chosen format."""
    step, user = touchpoint.step, touchpoint.recipient.user
    if fmt == WebhookFormat.SLACK:
        text = f"*{_slack_escape(rendered.subject)}*\n{_slack_escape(rendered.text.strip())}"
        if rendered.url:
            text += f"\n<{rendered.url}|{_slack_escape(_('Open in Takeroot'))}>"
        return {"text": text}
    if fmt == WebhookFormat.TEAMS:
        card = {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": rendered.subject,
            "title": rendered.subject,
            "text": rendered.text.strip(),
        }
        if rendered.url:
            card["potentialAction"] = [
                {"@type": "OpenUri", "name": _("Open in Takeroot"), "targets": [{"os": "default", "uri": rendered.url}]}
            ]
        return card
    return {
        "event": "touchpoint",
        "touchpoint": str(touchpoint.uuid),
        "kind": step.kind,
        "audience": step.audience,
        "recipient": {"name": user.name, "email": user.email},
        "subject": rendered.subject,
        "text": rendered.text,
        "url": rendered.url,
    }


def sign(secret: str, timestamp: str, body: str) -> str:
    """``sha256=<hex>`` of ``"<timestamp>.<body>"``: what ``X-Takeroot-Signature`` carries."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post_webhook(
    delivery_settings: "DeliverySettings | None", *, touchpoint: "Touchpoint", rendered: "Rendered"
) -> None:
    """POST the touchpoint to the workspace's webhook; raises ``DeliveryError`` unless it answers 2xx."""
    if delivery_settings is None or not delivery_settings.webhook_url:
        raise DeliveryError(_("No webhook address is set in the delivery settings."), transient=False)
    url = delivery_settings.webhook_url
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(_("The webhook address must start with https:// or http://."), transient=False)
    payload = webhook_payload(delivery_settings.webhook_format, touchpoint=touchpoint, rendered=rendered)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Takeroot",
            "X-Takeroot-Timestamp": timestamp,
            "X-Takeroot-Signature": sign(delivery_settings.webhook_secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        with error:
            error.read()
        raise DeliveryError(_("The webhook answered %(status)s.") % {"status": error.code}, transient=True) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(
            _("The webhook could not be reached: %(error)s") % {"error": reason}, transient=True
        ) from error
    if not 200 <= status < 300:
        raise DeliveryError(_("The webhook answered %(status)s.") % {"status": status}, transient=True)
