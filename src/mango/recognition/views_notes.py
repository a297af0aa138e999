"""Linking a shared story to the staff member it praises, and the staff member's reply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mango.culture import visible

from . import access, labels, notes
from .forms import ReplyForm, ThankForm
from .models import ThankYouNote


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def thank(request, pk):
    story = access.story_for_thanks(request.user, pk)
    shown = visible.is_shown(story)
    form = ThankForm(request.POST or None, story=story)
    if request.method == "POST" and shown and form.is_valid():
        data = form.cleaned_data
        try:
            notes.link_story(
                request.user,
                story,
                recipient=data["recipient"],
                email=data["email"],
                first_name=data["first_name"],
                profession=data["profession"],
                unit=data["unit"],
                language=data["language"],
                line_manager_email=data.get("line_manager_email", ""),
            )
        except ValueError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("The thank-you note is on its way."))
            return redirect("recognition:thank", pk=story.pk)
    sent = ThankYouNote.objects.filter(story=story).select_related("recipient", "unit")
    return render(
        request,
        "recognition/thank.html",
        {
            "story": story,
            "shown": shown,
            "form": form,
            "notes": sent,
            "professions": labels.PROFESSION,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def revoke(request, pk, note_id):
    story = access.story_for_thanks(request.user, pk)
    note = get_object_or_404(ThankYouNote, pk=note_id, story=story)
    notes.revoke_reply_link(request.user, note)
    messages.success(request, _("The reply link no longer works."))
    return redirect("recognition:thank", pk=story.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def reply(request, token):
    """The staff member's page behind the signed link in their note (no account needed)."""
    note = notes.note_for_token(token)
    if note is None:
        raise Http404
    story = note.story
    if not visible.is_shown(story):
        return render(request, "recognition/reply_gone.html", status=410)
    form = ReplyForm(request.POST or None, initial={"text": note.reply_text})
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            note = notes.save_reply(note, form.cleaned_data["text"])
        except ValueError as err:
            form.add_error("text", str(err))
        else:
            saved = True
    return render(
        request,
        "recognition/reply.html",
        {"note": note, "story": story, "form": form, "saved": saved},
        status=400 if request.method == "POST" and not saved else 200,
    )
