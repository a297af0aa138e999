"""The API's URLs, spliced into the root URLconf by ``mango.urls``."""

from django.http import JsonResponse
from django.urls import path, re_path

from .api import api


def not_found(request, rest=""):
    """Unknown paths under /api/ answer in JSON like the rest of the API, not an HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns: list = [
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", not_found),
]
