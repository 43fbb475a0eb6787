"""The channels against real local servers: webhooks to an ``http.server`` in a thread (the body
and a verified signature), mail over one SMTP connection to the loopback sink."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from takeroot.followup import channels, delivery
from takeroot.followup.enums import Channel, StepKind, TouchpointState, WebhookFormat
from takeroot.followup.models import DeliverySettings, Touchpoint
from takeroot.plans.models import ActionPlan

from . import test_delivery
from .test_delivery import NOW, closed_port, make_step, make_touchpoint, state_of

# The fixtures of the delivery tests, shared.
programme, design, cohort, enrolment = (
    test_delivery.programme,
    test_delivery.design,
    test_delivery.cohort,
    test_delivery.enrolment,
)


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []


@pytest.fixture
def webhook():
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body.decode()})
            status = receiver.statuses.pop(0) if receiver.statuses else 204
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/takeroot"
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def hook_settings(workspace, webhook):
    return DeliverySettings.objects.create(workspace=workspace, webhook_url=webhook.url)


def verified(request: dict, secret: str) -> dict:
    timestamp = request["headers"]["X-Takeroot-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.{request['body']}".encode(), hashlib.sha256).hexdigest()
    assert request["headers"]["X-Takeroot-Signature"] == f"sha256={expected}"
    return json.loads(request["body"])


def test_json_webhook_is_signed_and_complete(webhook, hook_settings, design, enrolment):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment)
    step = make_step(design, kind=StepKind.ACTION_PLAN, channel=Channel.WEBHOOK)
    touchpoint = make_touchpoint(step, enrolment)

    delivery.send_due(now=NOW)

    [request] = webhook.requests
    assert request["path"] == "/hooks/takeroot"
    payload = verified(request, hook_settings.webhook_secret)
    assert payload == {
        "event": "touchpoint",
        "touchpoint": str(touchpoint.uuid),
        "kind": "action_plan",
        "audience": "participant",
        "recipient": {"name": "Pia Participant", "email": "participant@acme.test"},
        "subject": "Hello Pia Participant",
        "text": payload["text"],
        "url": f"http://127.0.0.1:8000/action-plans/{plan.uuid}/",
    }
    assert payload["text"].startswith("How is Feedback that lands going?\n")
    assert state_of(touchpoint).state == TouchpointState.SENT


def test_slack_webhook_sends_mrkdwn_with_a_link(webhook, hook_settings, design, enrolment):
    DeliverySettings.objects.filter(pk=hook_settings.pk).update(webhook_format=WebhookFormat.SLACK)
    content = {"en": {"subject": "Plan <now> & {name}", "body": "Write it."}}
    make_touchpoint(make_step(design, kind=StepKind.ACTION_PLAN, channel=Channel.WEBHOOK, content=content), enrolment)

    delivery.send_due(now=NOW)

    payload = verified(webhook.requests[0], hook_settings.webhook_secret)
    assert list(payload) == ["text"]
    assert payload["text"].startswith("*Plan &lt;now&gt; &amp; Pia Participant*\nWrite it.")
    assert payload["text"].endswith(f"/action-plans/open/{enrolment.uuid}/|Open in Takeroot>")


def test_teams_webhook_sends_a_message_card(webhook, hook_settings, design, enrolment):
    DeliverySettings.objects.filter(pk=hook_settings.pk).update(webhook_format=WebhookFormat.TEAMS)
    make_touchpoint(make_step(design, kind=StepKind.ACTION_PLAN, channel=Channel.WEBHOOK), enrolment)

    delivery.send_due(now=NOW)

    card = verified(webhook.requests[0], hook_settings.webhook_secret)
    assert (card["@type"], card["title"], card["summary"]) == (
        "MessageCard",
        "Hello Pia Participant",
        "Hello Pia Participant",
    )
    [action] = card["potentialAction"]
    assert action["targets"] == [{"os": "default", "uri": f"http://127.0.0.1:8000/action-plans/open/{enrolment.uuid}/"}]


def test_webhook_errors_retry_then_fail(webhook, hook_settings, design, enrolment):
    webhook.statuses = [500, 302, 404, 503, 500]
    touchpoint = make_touchpoint(make_step(design, channel=Channel.WEBHOOK), enrolment)

    now = NOW
    for attempt, status in enumerate([500, 302, 404, 503], 1):
        delivery.send_due(now=now)
        found = state_of(touchpoint)
        assert (found.state, found.attempts, found.last_error) == (
            TouchpointState.SCHEDULED,
            attempt,
            f"The webhook answered {status}.",
        )
        now = found.next_attempt_at
    delivery.send_due(now=now)

    found = state_of(touchpoint)
    assert (found.state, found.attempts, found.last_error) == (TouchpointState.FAILED, 5, "The webhook answered 500.")
    assert len(webhook.requests) == 5


def test_unreachable_webhook_retries(workspace, design, enrolment):
    DeliverySettings.objects.create(workspace=workspace, webhook_url=f"http://127.0.0.1:{closed_port()}/")
    touchpoint = make_touchpoint(make_step(design, channel=Channel.WEBHOOK), enrolment)

    delivery.send_due(now=NOW)

    found = state_of(touchpoint)
    assert (found.state, found.attempts) == (TouchpointState.SCHEDULED, 1)
    assert found.last_error.startswith("The webhook could not be reached:")


class PerConnection:
    """Records the client's address per message and refuses one mailbox for good."""

    def __init__(self):
        self.peers = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("other@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        return "250 OK"


def test_a_batch_goes_over_one_connection_and_one_refusal_does_not_stop_it(
    design, enrolment, other_participant, cohort
):
    from takeroot.programmes.models import Enrolment

    handler, port = PerConnection(), closed_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    other = Enrolment.objects.create(workspace=cohort.workspace, cohort=cohort, person=other_participant)
    step = make_step(design)
    first = [make_touchpoint(step, enrolment, occurrence=n) for n in range(3)]
    refused = make_touchpoint(step, other)
    later = [make_touchpoint(step, enrolment, occurrence=n) for n in range(3, 6)]
    Touchpoint.objects.filter(pk=refused.pk).update(due_at=first[-1].due_at)
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        with override_settings(MAILERS=mailers):
            assert delivery.send_due(now=NOW) == 7
    finally:
        controller.stop()

    assert len(handler.peers) == 6
    assert len(set(handler.peers)) == 1
    assert {state_of(t).state for t in first + later} == {TouchpointState.SENT}
    found = state_of(refused)
    assert (found.state, found.last_error) == (TouchpointState.FAILED, "550 5.1.1 No such mailbox")


def test_signature_helper_matches_the_documented_scheme():
    body = '{"a":1}'
    expected = hmac.new(b"secret", b"1700000000." + body.encode(), hashlib.sha256).hexdigest()
    assert channels.sign("secret", "1700000000", body) == f"sha256={expected}"


def test_mail_bytes_encode_unicode_and_refuse_header_injection():
    import email
    import email.policy

    from takeroot.followup.rendering import Rendered

    subject = "Zażółć gęślą jaźń, a long subject that needs more than one encoded word 你好\r\nBcc: evil@example.com"
    rendered = Rendered(subject=subject, text="Tekst ż\n", html="<p>ż</p>", headers={"X-A": "b\nBcc: x@y"}, url="")

    data = channels.mail_bytes(rendered, sender="Takeroot <t@localhost>", to="pia@example.com")

    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["Subject"] == " ".join(subject.split())
    assert message["Bcc"] is None
    assert message["X-A"] == "b Bcc: x@y"
    assert message.get_body(("plain",)).get_content() == "Tekst ż\n"
    assert message.get_body(("html",)).get_content() == "<p>ż</p>"
