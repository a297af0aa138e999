"""Researchers import stories from a CSV or XLSX file (placeholder, replaced by the importer)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def import_stories(request):
    return HttpResponse("Import is being built.", status=501)
