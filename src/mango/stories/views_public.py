"""The teller's side: the story form, its thank-you page and the short links on posters."""

from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, get_language_from_request
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override
from django.views.decorators.http import require_GET, require_http_methods

from mango.lib.intake import parse_id, parse_key
from mango.organisations.models import Campaign, Organisation, Unit

from . import actions, throttle
from .forms import StoryForm
from .problems import message

RECEIPT_SALT = "mango.stories.receipt"


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
    if request.method == "POST":
        form = StoryForm(request.POST, organisation=fixed_org)
        form.language = get_language()
        if form.is_spam():
            # Look like success so the bot learns nothing; store nothing.
            token = signing.dumps({"receipt": "", "campaign": ""}, salt=RECEIPT_SALT)
            return redirect(reverse("thanks") + "?r=" + token)
        status = 400
        if not throttle.allow_submission(request):
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
                placement = actions.place(
                    fixed_org or form.cleaned_data.get("organisation"),
                    fixed_unit or form.cleaned_data.get("unit"),
                    campaign,
                )
            except actions.PlacementError as err:
                form.add_error(
                    err.field if err.field in form.fields else None, message(err.field, err.code)
                )
            else:
                story = actions.submit_story(form.story_values, placement, source="form")
                token = signing.dumps(
                    {"receipt": story.receipt, "campaign": campaign.slug if campaign else ""},
                    salt=RECEIPT_SALT,
                )
                return HttpResponseRedirect(reverse("thanks") + "?r=" + token)
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
    try:
        data = signing.loads(request.GET.get("r", ""), salt=RECEIPT_SALT, max_age=3600)
    except signing.BadSignature:
        raise Http404 from None
    return render(
        request,
        "stories/thanks.html",
        {"receipt": data["receipt"], "campaign_slug": data["campaign"]},
    )


def _localised_tell(request, **params):
    language = get_language_from_request(request, check_path=False)
    with language_override(language):
        url = reverse("tell")
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return HttpResponseRedirect(f"{url}?{query}")


def campaign_link(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return _localised_tell(request, campaign=campaign.slug)


def unit_link(request, code):
    unit = get_object_or_404(Unit, short_code=code)
    return _localised_tell(request, unit_code=unit.short_code)
