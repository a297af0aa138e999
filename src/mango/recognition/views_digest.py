"""Each staff member's digest settings, and unsubscribing with the link in every digest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mango.accounts.models import Membership

from . import digests
from .forms import DigestForm
from .models import DigestPreference


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request):
    pref = DigestPreference.objects.filter(user=request.user).first()
    initial = {
        "frequency": pref.frequency if pref else digests.DEFAULT_FREQUENCY,
        "language": pref.language if pref else "",
    }
    form = DigestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        digests.set_preference(request.user, **form.cleaned_data)
        messages.success(request, _("Your digest settings were saved."))
        return redirect("recognition:digest_settings")
    staff = Membership.objects.filter(user=request.user, organisation__isnull=False).exists()
    return render(
        request,
        "recognition/digest_settings.html",
        {"form": form, "staff": staff, "has_email": bool(request.user.email)},
    )


# Mail programs' one-click unsubscribe (RFC 8058) posts without a CSRF token; the signed link
# is the key.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user = digests.user_for_unsubscribe(token)
    if user is None:
        raise Http404
    done = False
    if request.method == "POST":
        digests.unsubscribe(user)
        done = True
    return render(request, "recognition/unsubscribe.html", {"token": token, "done": done})
