"""Who may train classifiers and read their pages.

A model learns from every settled story of a codebook, across organisations, so only
network-wide roles (administrators and network-wide researchers) train models and read their
metrics; everyone else signed in gets 403. Ordering a round "uncertain first" is a round
manager's act: ``mango.research.access.get_round_to_manage`` decides it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from mango.accounts.models import scope_for

from .models import TrainedModel


def can_train(user) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.research_everywhere


def require_trainer(user) -> None:
    if not can_train(user):
        raise PermissionDenied


def get_model_for_user(user, pk) -> TrainedModel:
    require_trainer(user)
    return get_object_or_404(TrainedModel.objects.select_related("codebook", "created_by"), pk=pk)
