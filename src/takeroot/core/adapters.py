from allauth.account.adapter import DefaultAccountAdapter
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from .mail import queue_rendered_mail
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """Account mail (login codes, password resets) goes through the outbox like every message.

    People join a workspace by invitation, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        context = {"email": email, "current_site": None, **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context, self.request).split())
        subject = self.format_email_subject(subject)
        body_text = render_to_string(f"{template_prefix}_message.txt", context, self.request).strip()
        try:
            body_html = render_to_string(f"{template_prefix}_message.html", context, self.request)
        except TemplateDoesNotExist:
            body_html = ""
        recipient = User.objects.filter(email__iexact=email).first()
        queue_rendered_mail(
            to_email=email, subject=subject, body_text=body_text, body_html=body_html, recipient=recipient
        )
