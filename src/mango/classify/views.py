"""The classifier's pages: trained models (train one, follow its progress, read its metrics
and its agreement with the human final codes next to the coders' own), and the "uncertain
first" order of a coding round."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mango.lib.classify import evaluate
from mango.research import finals
from mango.research.access import get_round_to_manage
from mango.research.models import Codebook, CodingRound

from . import actions
from .access import get_model_for_user, require_trainer
from .models import KIND_CHOICES, TrainedModel
from .suggestions import latest_model
from .training import at_chance, chance_labels

ROUNDS_COMPARED = 3


class TrainForm(forms.Form):
    codebook = forms.ModelChoiceField(
        label=gettext_lazy("Codebook"), queryset=Codebook.objects.all(), empty_label=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KIND_CHOICES)

    def clean(self):
        data = super().clean()
        codebook, kind = data.get("codebook"), data.get("kind")
        if codebook and kind == "screening" and codebook.slug != finals.SCREENING:
            raise forms.ValidationError(_("A screening model learns from the screening codebook."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def model_list(request):
    require_trainer(request.user)
    form = TrainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tm = actions.request_training(
                request.user, form.cleaned_data["codebook"], form.cleaned_data["kind"]
            )
        except actions.ActionError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("Training has started."))
            return redirect("classify:model", pk=tm.pk)
    models = list(TrainedModel.objects.select_related("codebook", "created_by")[:100])
    for tm in models:
        tm.at_chance = tm.status == "ready" and at_chance(tm)
    return render(request, "classify/model_list.html", {"form": form, "models": models})


def _code_labels(codebook) -> dict[str, str]:
    labels = {c.key: c.local_label for c in codebook.codes.all()}
    labels.setdefault(finals.MANGOMOMENT, _("Mangomoment"))
    return labels


def _coders_kappa(figures: dict) -> float | None:
    """Cohen's kappa for two coders, Fleiss' kappa for more."""
    for name in ("cohen_kappa", "fleiss_kappa"):
        value = (figures.get(name) or {}).get("value")
        if value is not None:
            return value
    return None


def agreement_rows(tm: TrainedModel) -> tuple[list[dict], list[CodingRound]]:
    """Per code: the model's kappa against the final codes (out of fold), and the coders'
    kappa in the codebook's latest rounds."""
    rounds = list(
        CodingRound.objects.filter(codebook=tm.codebook).order_by("-created_at")[:ROUNDS_COMPARED]
    )
    per_round = [finals.round_agreement(r, resamples=0)["per_code"] for r in rounds]
    model_figures = tm.metrics.get("agreement", {}).get("per_code", {})
    per_label = tm.metrics.get("labels", {})
    chance = tm.metrics.get("chance", {}).get("labels", {})
    weak = set(chance_labels(tm))
    labels = _code_labels(tm.codebook)
    rows = []
    for key in tm.labels:
        kappa = model_figures.get(key, {}).get("cohen_kappa") or {}
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "f1": per_label.get(key, {}).get("f1"),
                "support": per_label.get(key, {}).get("support"),
                "threshold": tm.thresholds[tm.labels.index(key)] if tm.thresholds else None,
                "kappa": kappa.get("value"),
                "kappa_ci": kappa.get("ci95"),
                "coders": [_coders_kappa(codes.get(key, {})) for codes in per_round],
                "at_chance": key in weak,
                "accuracy": chance.get(key, {}).get("accuracy"),
                "majority_accuracy": chance.get(key, {}).get("majority_accuracy"),
            }
        )
    return rows, rounds


@login_required
def model_detail(request, pk):
    tm = get_model_for_user(request.user, pk)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "training":
        return render(request, "classify/_training.html", {"tm": tm})
    rows, rounds = ([], [])
    if tm.status == "ready":
        rows, rounds = agreement_rows(tm)
    useless = tm.status == "ready" and at_chance(tm)
    open_rounds = CodingRound.objects.filter(codebook=tm.codebook, status="open")
    return render(
        request,
        "classify/model_detail.html",
        {
            "tm": tm,
            "rows": rows,
            "rounds": rounds,
            "open_rounds": open_rounds,
            "is_latest": tm.status == "ready" and latest_model(tm.codebook, tm.kind) == tm,
            "at_chance": useless,
            "chance_rows": [row for row in rows if row["at_chance"]],
            "max_kappa": evaluate.CHANCE_KAPPA,
        },
    )


def _kind_for(codebook) -> str:
    return "screening" if codebook.slug == finals.SCREENING else "labels"


@login_required
@require_POST
def uncertain_first(request, pk):
    """Order a round's open assignments by the latest model's uncertainty (most unsure first)."""
    round = get_round_to_manage(request.user, pk)
    tm = latest_model(round.codebook, _kind_for(round.codebook))
    if tm is None:
        messages.error(request, _("No trained model of this codebook yet."))
    else:
        try:
            n = actions.order_uncertain_first(request.user, round, tm)
        except actions.ActionError as err:
            messages.error(request, str(err))
        else:
            messages.success(
                request,
                _("%(n)s stories to code now come uncertain first.") % {"n": n},
            )
    return redirect("research:round", pk=round.pk)
