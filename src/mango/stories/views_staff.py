"""Staff views: the story list and a story's page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import privacy
from .access import get_story_for_user, require_story_reader, visible_stories
from .filters import StoryFilter


@login_required
def story_list(request):
    require_story_reader(request.user)
    stories = visible_stories(request.user)
    filters = StoryFilter(request.GET or None, stories=stories)
    found = filters.apply(stories) if request.GET else stories
    found = found.select_related("organisation", "unit", "campaign")
    page = Paginator(found, settings.MANGO_STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "stories/_story_results.html", context)
    return render(request, "stories/story_list.html", context)


@login_required
def story_detail(request, pk):
    story = get_story_for_user(request.user, pk)
    if story.is_erased:
        return render(request, "stories/erased.html", {"story": story}, status=410)
    # The page shows the original text: reading it goes in the audit trail.
    privacy.view_original(request.user, story)
    return render(request, "stories/story_detail.html", {"story": story})
