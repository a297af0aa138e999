"""The teller's side: the story form, its thank-you page and the short links on posters."""

import json
import re
import secrets
import smtplib
from urllib.parse import parse_qsl

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, get_language_from_request, gettext_lazy
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mango import mail
from mango.lib.intake import parse_id, parse_key
from mango.organisations.models import Campaign, Organisation, Unit
from mango.stories import submissions, throttle
from mango.stories.forms import StoryForm
from mango.stories.models import SubmissionKey
from mango.stories.placement import PlacementError, place
from mango.stories.problems import message

from . import actions

# The form's one-time token (a hidden field): a second POST with it stores nothing.
TOKEN_FIELD = "submission_token"  # noqa: S105 - a field name
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# The signed cookie that carries the submission (its id, not the receipt) to the thank-you
# page, for one display. The receipt never travels in a URL: URLs end up in access logs,
# proxies and browser histories. A cookie, not a session: no database row per story told.
THANKS_KEY = "mango_thanks"
THANKS_MAX_AGE = 15 * 60
# Fields that are not part of the story itself.
_NOT_CONTENT = {"csrfmiddlewaretoken", TOKEN_FIELD}


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def _posted_token(request) -> str | None:
    token = request.POST.get(TOKEN_FIELD, "")
    return token if _TOKEN.match(token) else None


def _content_hash(request) -> str:
    return submissions.fingerprint(
        sorted((k, v) for k, v in request.POST.lists() if k not in _NOT_CONTENT)
    )


def _readable(request) -> bool:
    """Whether the form arrived as UTF-8. Django reads bytes that are not UTF-8 as U+FFFD,
    which would store a garbled story; the API refuses such bodies, and so does the form."""
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            return False
        return True
    # multipart: the raw body is no longer there to check; the decoded values tell.
    return not any("\ufffd" in v for values in request.POST.lists() for v in values[1])


def _to_thanks(request, submission, campaign):
    response = HttpResponseRedirect(reverse("thanks"))
    response.set_signed_cookie(
        THANKS_KEY,
        json.dumps({"submission": submission.pk, "campaign": campaign.slug if campaign else ""}),
        salt=THANKS_KEY,
        max_age=THANKS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _set_thanks_cookie(response, data: dict) -> None:
    response.set_signed_cookie(
        THANKS_KEY,
        json.dumps(data),
        salt=THANKS_KEY,
        max_age=THANKS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _already_sent(form):
    form.add_error(
        None,
        _(
            "This form was already sent with another story. Your text is kept below: "
            "send it again to tell a new story."
        ),
    )


def home(request):
    return render(request, "stories/home.html")


def _prefill(request):
    """The organisation, unit and campaign a poster's link names, if any."""
    source = request.POST if request.method == "POST" else request.GET
    campaign = unit = organisation = None
    # Keys from a URL are checked for shape first: anything else is simply unknown.
    if slug := parse_key(source.get("campaign")):
        campaign = Campaign.objects.filter(slug=slug).first()
    if code := parse_key(source.get("unit_code")):
        unit = Unit.objects.select_related("organisation").filter(short_code=code).first()
        organisation = unit.organisation if unit else None
    if organisation is None and (slug := parse_key(source.get("org"))):
        organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None and campaign is not None:
        orgs = list(campaign.organisations.all()[:2])
        if len(orgs) == 1 and not campaign.network_wide:
            organisation = orgs[0]
    return campaign, organisation, unit


@require_http_methods(["GET", "POST"])
def tell(request):
    campaign, fixed_org, fixed_unit = _prefill(request)
    if campaign is not None and not campaign.is_open():
        return render(request, "stories/campaign_closed.html", {"campaign": campaign}, status=410)
    initial = {}
    if fixed_org:
        initial["organisation"] = fixed_org.pk
        initial["setting"] = fixed_org.kind
    if fixed_unit:
        initial["unit"] = fixed_unit.pk
        initial["oncological"] = "yes" if fixed_unit.oncological else "no"
    status = 200
    token = _new_token()
    if request.method == "POST":
        form = StoryForm(request.POST, organisation=fixed_org)
        form.language = get_language()
        token = _posted_token(request) or token
        content = _content_hash(request)
        earlier = submissions.settled("form", token)
        if earlier is not None and earlier.fingerprint == content:
            # A double tap, or the form sent again: the first story stands, nothing is stored.
            return _to_thanks(request, earlier, campaign)
        if form.is_spam():
            # Look like success so the bot learns nothing; store nothing (no session either).
            return HttpResponseRedirect(reverse("thanks"))
        status = 400
        if earlier is not None:
            # The same form, sent back with another story (the browser's back button): a new
            # form token lets the teller send it as a new story.
            token = _new_token()
            form.is_valid()
            _already_sent(form)
            status = 409
        elif not _readable(request):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Your browser sent characters that could not be read. Please check "
                    "your text and send it again."
                ),
            )
        elif not throttle.allow_submission(request):
            # Show the form again with the story in it: a teller who waited must not lose
            # what they wrote.
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Many stories were sent from this connection in a short "
                    "time. Please wait a while and send yours again: your "
                    "text is kept below."
                ),
            )
            status = 429
        elif form.is_valid():
            try:
                placement = place(
                    fixed_org or form.cleaned_data.get("organisation"),
                    fixed_unit or form.cleaned_data.get("unit"),
                    campaign,
                )
            except PlacementError as err:
                form.add_error(
                    err.field if err.field in form.fields else None, message(err.field, err.code)
                )
            else:
                values = form.story_values
                try:
                    submission, stored = submissions.submit_once(
                        "form",
                        token,
                        content,
                        lambda: actions.submit_story(values, placement, source="form"),
                    )
                except submissions.Unclaimed:
                    # Another request with this form failed to store it, again and again.
                    submission, stored = None, False
                if submission is None:
                    form.add_error(
                        None, _("Your story could not be saved just now. Please send it again.")
                    )
                    status = 503
                elif stored or submission.fingerprint == content:
                    return _to_thanks(request, submission, campaign)
                else:
                    token = _new_token()
                    _already_sent(form)
                    status = 409
    else:
        form = StoryForm(initial=initial, organisation=fixed_org)
    return render(
        request,
        "stories/tell.html",
        {
            "form": form,
            "campaign": campaign,
            "fixed_org": fixed_org,
            "fixed_unit": fixed_unit,
            "submission_token": token,
        },
        status=status,
    )


@require_GET
def units_for_organisation(request):
    """htmx: the unit options of the organisation just chosen."""
    units = Unit.objects.none()
    if organisation_id := parse_id(request.GET.get("organisation")):
        units = Unit.objects.filter(organisation_id=organisation_id)
    return render(request, "stories/_unit_options.html", {"units": units})


@require_GET
def thanks(request):
    """The receipt, shown once: it comes from a signed cookie, never from the URL, and is
    forgotten as soon as it is shown. A reload shows the thanks without it."""
    try:
        data = json.loads(
            request.get_signed_cookie(THANKS_KEY, salt=THANKS_KEY, max_age=THANKS_MAX_AGE)
        )
    except (KeyError, signing.BadSignature, ValueError):
        data = {}
    receipt = ""
    if data.get("submission") and not data.get("mail"):
        submission = submissions.mark_receipt_shown(data["submission"])
        if submission is not None:
            receipt = submission.story.receipt
    response = render(
        request,
        "stories/thanks.html",
        {
            "receipt": receipt,
            "campaign_slug": data.get("campaign", ""),
            "mail_form": ReceiptMailForm() if receipt else None,
        },
    )
    if receipt:
        # The same cookie now only lets this browser e-mail the receipt to the teller: the
        # mail view takes the receipt from it, never from the form (nobody can mail someone
        # else's receipt). A reload still shows the thanks without the receipt.
        _set_thanks_cookie(response, {**data, "mail": True})
    elif THANKS_KEY in request.COOKIES:
        response.delete_cookie(THANKS_KEY, samesite="Lax")
    return response


class ReceiptMailForm(forms.Form):
    """The teller's own address, used for one message and kept nowhere."""

    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=254,
        help_text=gettext_lazy("We send the code once and do not keep your address."),
        error_messages={
            "required": gettext_lazy("Type the e-mail address the code should go to."),
            "invalid": gettext_lazy(
                "This is not an e-mail address. Check it, for example name@example.be."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


def _mailable_submission(request):
    """The submission whose receipt this browser was just shown, from the signed cookie, and
    the campaign the story was told for."""
    try:
        data = json.loads(
            request.get_signed_cookie(THANKS_KEY, salt=THANKS_KEY, max_age=THANKS_MAX_AGE)
        )
    except (KeyError, signing.BadSignature, ValueError):
        return None, ""
    if not isinstance(data, dict) or not data.get("mail"):
        return None, ""
    submission_id = data.get("submission")
    if not isinstance(submission_id, int):
        return None, ""
    submission = (
        SubmissionKey.objects.select_related("story")
        .filter(pk=submission_id, receipt_shown_at__isnull=False, story__isnull=False)
        .first()
    )
    return submission, str(data.get("campaign") or "")


@require_POST
def receipt_mail(request):
    """E-mail the receipt code (and the way to the status page, never the story) to the
    address the teller types. The address is used for this one message only: it is not
    stored, logged or audited. The receipt comes from the thanks cookie, so only the browser
    that was just shown a receipt can have it sent, once."""
    submission, campaign_slug = _mailable_submission(request)
    form = ReceiptMailForm(request.POST)
    status = 200
    state = "form"
    if submission is None:
        form.add_error(
            None,
            _(
                "This receipt can no longer be sent by e-mail: that is only possible right "
                "after telling a story. Use the code you wrote down."
            ),
        )
        status = 403
        state = "gone"
    elif not form.is_valid():
        status = 400
    elif not throttle.allow(request, "receipt-mail", settings.MANGO_SUBMIT_RATE):
        form.add_error(
            None, _("Many e-mails were sent from this connection. Please try again later.")
        )
        status = 429
    else:
        language = get_language()
        with language_override(language):
            status_url = request.build_absolute_uri(reverse("my_story"))
        try:
            mail.send(
                [form.cleaned_data["email"]],
                "stories/email/receipt",
                {"receipt": submission.story.receipt, "status_url": status_url},
                language=language,
            )
        except (smtplib.SMTPException, OSError):
            # Nothing about the address goes to the log: only that a receipt mail failed.
            form.add_error(
                None, _("The e-mail could not be sent just now. Please try again in a moment.")
            )
            status = 503
        else:
            state = "sent"
    # The code stays on screen for the browser that was just shown it (this is a POST, which
    # no reload repeats without the cookie); without the cookie there is nothing to show.
    context = {
        "receipt": submission.story.receipt if submission is not None else "",
        "campaign_slug": campaign_slug,
        "mail_form": form,
        "mail_state": state,
    }
    response = render(request, "stories/thanks.html", context, status=status)
    if state != "form":
        # Sent, or no longer possible: the cookie has done its work.
        response.delete_cookie(THANKS_KEY, samesite="Lax")
    return response


def _localised_tell(request, **params):
    language = get_language_from_request(request, check_path=False)
    with language_override(language):
        url = reverse("tell")
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return HttpResponseRedirect(f"{url}?{query}")


def _unknown_link(request, link: str):
    """A mistyped poster link: a friendly page in the visitor's language (404), with the way
    to the form without the link."""
    language = get_language_from_request(request, check_path=False)
    with language_override(language):
        return render(request, "stories/unknown_link.html", {"link": link}, status=404)


def campaign_link(request, slug):
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        return _unknown_link(request, f"/c/{slug}")
    return _localised_tell(request, campaign=campaign.slug)


def unit_link(request, code):
    unit = Unit.objects.filter(short_code=code).first()
    if unit is None:
        return _unknown_link(request, f"/u/{code}")
    return _localised_tell(request, unit_code=unit.short_code)
