"""The monthly wins digest pages: the list (admins make one for a chosen month), the admins'
editor with preview and send, and the printable newsletter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, workspace_view

from .. import digests as services
from ..forms import DigestForm, DigestMonthForm
from ..queries import digest_entries, digests_for_user
from .common import find_digest


def _list(request, form):
    return render(
        request,
        "wins/digest_list.html",
        {
            "digests": digests_for_user(request.user, workspace=request.workspace),
            "form": form,
            "can_manage": request.user.has_perm("wins.manage_digests", request.workspace),
        },
    )


@workspace_view("wins.view_wins")
def digest_list(request):
    """Admins: every digest, and a form to make one for a month. Others: the sent ones."""
    return _list(request, DigestMonthForm())


@require_POST
@workspace_view("wins.manage_digests")
def digest_create(request):
    form = DigestMonthForm(request.POST)
    if form.is_valid():
        try:
            digest = services.create_digest(
                workspace=request.workspace, actor=request.user, month=form.cleaned_data["month"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft digest made. Edit it, then send it."))
            return redirect("wins:digest_edit", digest.uuid)
    return _list(request, form)


@workspace_view("wins.manage_digests")
def digest_edit(request, uuid):
    digest = find_digest(request, uuid, "wins.edit_digest")
    if not digest.is_draft:
        messages.info(request, _("This digest has been sent; it can no longer be changed."))
        return redirect(digest)
    entries = list(digest_entries(digest, published=False))
    form = DigestForm(request.POST or None, initial={"intro": digest.intro}, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_digest(
                digest=digest, actor=request.user, intro=form.cleaned_data["intro"], entries=form.entry_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Digest saved."))
            return redirect("wins:digest_edit", digest.uuid)
    return render(request, "wins/digest_edit.html", {"digest": digest, "form": form})


@require_POST
@workspace_view("wins.manage_digests")
def digest_send(request, uuid):
    digest = find_digest(request, uuid, "wins.edit_digest")
    try:
        count = services.send_digest(digest=digest, actor=request.user, sent_by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wins:digest_edit", digest.uuid) if digest.is_draft else redirect(digest)
    messages.success(request, _("Digest sent to %(count)s people.") % {"count": count})
    return redirect(digest)


@workspace_view("wins.view_wins")
def newsletter(request, uuid):
    """The printable page of a digest: every member once sent, admins as a preview of the draft."""
    digest = find_digest(request, uuid)
    entries = list(digest_entries(digest, published=True))
    return render(
        request,
        "wins/newsletter.html",
        {"digest": digest, "entries": entries, "can_edit": request.user.has_perm("wins.edit_digest", digest)},
    )
