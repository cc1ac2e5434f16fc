"""Public pages for readers."""

from django.shortcuts import get_object_or_404, render

from sources.models import Source

from .coverage import coverage_for
from .models import Story
from .premium import may_see_factuality


def home(request):
    stories = Story.objects.published().with_counts()[:20]
    return render(request, "stories/home.html", {"stories": stories})


def story_detail(request, slug):
    story = get_object_or_404(Story.objects.published(), slug=slug)
    coverage = coverage_for(story, with_factuality=may_see_factuality(request.user))
    return render(request, "stories/story_detail.html", {"story": story, "coverage": coverage})


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.select_related("owner"), slug=slug)
    return render(request, "stories/source_detail.html", {"source": source})
