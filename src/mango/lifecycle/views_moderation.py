"""Moderation: an organisation manager or ambassador reviews a story before it is shared."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mango.accounts.models import scope_for
from mango.culture import teams as culture_teams
from mango.culture.forms import StoryTeamsForm
from mango.stories import privacy
from mango.stories.access import get_story_for_moderation, moderated_stories, shared_stories

from . import actions

KIND_LABELS = {
    "person": gettext_lazy("Name"),
    "staff_first_name": gettext_lazy("Staff first name"),
    "date": gettext_lazy("Date"),
    "age": gettext_lazy("Age"),
    "phone": gettext_lazy("Phone number"),
    "email": gettext_lazy("E-mail address"),
    "address": gettext_lazy("Address"),
    "location": gettext_lazy("Place"),
    "institution": gettext_lazy("Institution"),
    "identifier": gettext_lazy("Identifying number"),
    "url": gettext_lazy("Web address"),
}
QUEUES = {
    "to_review": ("deidentified", gettext_lazy("To review")),
    "shared": ("shared", gettext_lazy("Shared")),
    "not_shared": ("reviewed", gettext_lazy("Not shared")),
    "withdrawn": ("withdrawn", gettext_lazy("Withdrawn")),
    "waiting": ("received", gettext_lazy("Waiting for de-identification")),
}


class RedactionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=list(KIND_LABELS.items()))
    phrase = forms.CharField(
        label=gettext_lazy("Words to redact"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Every occurrence is redacted. Or select the words in the story."),
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def ranges(self, text: str) -> list[tuple[int, int]]:
        data = self.cleaned_data
        if data.get("start") is not None and data.get("end"):
            return [(data["start"], data["end"])]
        phrase = (data.get("phrase") or "").strip()
        if not phrase:
            raise forms.ValidationError(_("Select words in the story or type them."))
        found, at = [], text.find(phrase)
        while at != -1:
            found.append((at, at + len(phrase)))
            at = text.find(phrase, at + len(phrase))
        if not found:
            raise forms.ValidationError(_("These words do not occur in the story."))
        return found


class DecisionForm(forms.Form):
    shareable = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("yes", gettext_lazy("Share with the organisation's teams")),
            ("no", gettext_lazy("Do not share")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy(
            "Kept with the story and erased with it; the audit trail records only that a "
            "reason was given."
        ),
    )


def _require_moderator(user):
    scope = scope_for(user)
    if not (scope.everything or scope.sharing_orgs):
        raise PermissionDenied


@login_required
def queue(request):
    _require_moderator(request.user)
    name = request.GET.get("queue", "to_review")
    status, _label = QUEUES.get(name, QUEUES["to_review"])
    stories = moderated_stories(request.user)
    counts = {key: stories.filter(status=st).count() for key, (st, _l) in QUEUES.items()}
    page = Paginator(
        stories.filter(status=status)
        .select_related("organisation", "unit")
        .order_by("submitted_at"),
        25,
    ).get_page(request.GET.get("page"))
    tabs = [(key, label, counts[key]) for key, (_s, label) in QUEUES.items()]
    return render(
        request, "stories/moderation_queue.html", {"page": page, "tabs": tabs, "current": name}
    )


def segments(text: str, redactions: list[dict]):
    """Split the original text into plain and redacted pieces, for highlighting."""
    out, at = [], 0
    for index, r in enumerate(redactions):
        if r["start"] > at:
            out.append({"text": text[at : r["start"]]})
        out.append({"text": text[r["start"] : r["end"]], "redaction": r, "index": index})
        at = r["end"]
    if at < len(text):
        out.append({"text": text[at:]})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk):
    story = get_story_for_moderation(request.user, pk)
    if story.is_erased:
        return render(request, "stories/erased.html", {"story": story}, status=410)
    redaction_form, decision_form = RedactionForm(), DecisionForm()
    teams_form = _teams_form(story)
    if request.method == "POST":
        action = request.POST.get("action")
        if (
            action in ("redact", "undo")
            and story.status == "shared"
            and request.POST.get("confirm") != "yes"
        ):
            return _confirm_unshare(request, story)
        try:
            if action == "redact":
                redaction_form = RedactionForm(request.POST)
                if redaction_form.is_valid():
                    try:
                        ranges = redaction_form.ranges(story.text)
                    except forms.ValidationError as err:
                        redaction_form.add_error("phrase", err)
                    else:
                        for start, end in ranges:
                            story = actions.add_redaction(
                                request.user, story, start, end, redaction_form.cleaned_data["kind"]
                            )
                        return _after_change(request, story)
            elif action == "undo":
                actions.undo_redaction(request.user, story, int(request.POST.get("index", -1)))
                return _after_change(request, story)
            elif action == "teams" and teams_form is not None:
                teams_form = StoryTeamsForm(request.POST, story=story)
                if teams_form.is_valid():
                    actions.set_story_teams(request.user, story, teams_form.cleaned_data["units"])
                    messages.success(request, culture_teams.SAVED)
                    return redirect("staff:moderate", pk=story.pk)
            elif action == "decide":
                decision_form = DecisionForm(request.POST)
                if decision_form.is_valid():
                    actions.review_story(
                        request.user,
                        story,
                        shareable=decision_form.cleaned_data["shareable"],
                        reason=decision_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Your decision was saved."))
                    return redirect("staff:moderation")
        except ValueError as err:
            messages.error(request, str(err))
            return redirect("staff:moderate", pk=story.pk)
    else:
        # The moderator is about to read the original text: that goes in the audit trail.
        privacy.view_original(request.user, story)
    return render(
        request,
        "stories/moderate.html",
        _context(story, redaction_form, decision_form, teams_form),
        status=400 if request.method == "POST" else 200,
    )


def _context(story, redaction_form, decision_form, teams_form=None):
    return {
        "story": story,
        "segments": segments(story.text, story.redactions),
        "kind_labels": KIND_LABELS,
        "redaction_form": redaction_form,
        "decision_form": decision_form,
        "teams_form": teams_form,
    }


def _teams_form(story):
    """The teams a story belongs to (its team feeds), for stories of an organisation."""
    if story.organisation_id is None:
        return None
    return StoryTeamsForm(story=story, initial={"units": culture_teams.unit_ids(story)})


# The fields of a redaction change that the confirmation step posts again.
CHANGE_FIELDS = ("action", "index", "kind", "phrase", "start", "end")


def _confirm_unshare(request, story):
    """Changing the redactions of a shared story takes it off the teams' shared page until a
    moderator approves it again: ask first (a plain form, so it works without JavaScript)."""
    context = {
        "story": story,
        "resend": [(name, request.POST[name]) for name in CHANGE_FIELDS if name in request.POST],
    }
    template = (
        "stories/_moderation_confirm.html"
        if request.headers.get("HX-Request")
        else "stories/moderation_confirm.html"
    )
    return render(request, template, context)


def _after_change(request, story):
    story.refresh_from_db()
    if request.headers.get("HX-Request"):
        return render(
            request,
            "stories/_moderation_text.html",
            _context(story, RedactionForm(), DecisionForm()),
        )
    return redirect("staff:moderate", pk=story.pk)


@login_required
def shared_list(request):
    """Shared stories, de-identified, for everyone in the organisation's teams."""
    if not scope_for(request.user).member_orgs and not scope_for(request.user).everything:
        raise PermissionDenied
    stories = shared_stories(request.user).select_related("organisation", "unit")
    page = Paginator(stories.order_by("-shared_at"), 20).get_page(request.GET.get("page"))
    return render(request, "stories/shared_list.html", {"page": page})
