"""The teller's rights, with the receipt code: see the status, withdraw consent, erase."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from mango.lib.receipts import normalise_receipt
from mango.stories import throttle
from mango.stories.models import Story

from . import actions


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("For example M-4F7KQ-9XR2D. Capitals and dashes don't matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_receipt(self):
        try:
            return normalise_receipt(self.cleaned_data["receipt"])
        except ValueError:
            raise forms.ValidationError(
                _("A receipt code has 10 letters and digits, like M-4F7KQ-9XR2D.")
            ) from None


STEPS = ["received", "deidentified", "reviewed", "shared"]


def progress(story: Story) -> list[dict]:
    """The steps of the story's journey, with the ones reached marked."""
    if story.status in ("withdrawn", "erased"):
        return [{"code": story.status, "done": True}]
    reached = STEPS.index(story.status)
    return [{"code": code, "done": i <= reached} for i, code in enumerate(STEPS)]


@require_http_methods(["GET", "POST"])
def my_story(request):
    """Receipt in a POST body, never in a URL: URLs end up in histories and logs."""
    form = ReceiptForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(request, "stories/my_story.html", {"form": form})
    if not throttle.allow_receipt_lookup(request):
        return render(request, "stories/slow_down.html", status=429)
    story = (
        Story.objects.select_related("organisation")
        .filter(receipt=form.cleaned_data["receipt"])
        .first()
    )
    if story is None:
        form.add_error("receipt", _("We don't know this receipt code. Please check it."))
        return render(request, "stories/my_story.html", {"form": form}, status=404)
    done = None
    action = request.POST.get("action")
    confirmed = request.POST.get("confirm") == "yes"  # every step asks first: none can be undone
    if action == "withdraw_research" and confirmed and story.consent_research:
        story = actions.withdraw_consent(story, research=True)
        done = _("You withdrew your consent for research.")
    elif action == "withdraw_sharing" and confirmed and story.consent_sharing:
        story = actions.withdraw_consent(story, sharing=True)
        done = _("You withdrew your consent for sharing with staff.")
    elif action == "erase" and confirmed and not story.is_erased:
        story = actions.erase_story(story)
        done = _("Your story and your contact details were erased.")
    return render(
        request,
        "stories/my_story_status.html",
        {"story": story, "receipt": story.receipt, "steps": progress(story), "done": done},
    )
