"""A reader's own pages: saved stories, My News Bias and the reading history behind it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sources.site_url import absolute_url
from stories.models import Story

from . import reading

SWITCHED_ON = "My News Bias is on: the stories you open are recorded."
SWITCHED_OFF = (
    "My News Bias is off: nothing more is recorded. Your history stays till you delete it."
)


def _back_to(request, default: str) -> str:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith("/") else default


@require_POST
@login_required
def save_story(request, slug):
    """Save or unsave the story, then back to where the button was."""
    story = get_object_or_404(Story.objects.published(), slug=slug)
    if request.POST.get("action") == "unsave":
        reading.unsave_story(user=request.user, story=story)
        messages.success(request, "Removed from your saved stories.")
    else:
        try:
            reading.save_story(user=request.user, story=story)
            messages.success(request, "Saved. Find it under Saved stories.")
        except reading.SaveLimitReached:
            limit = reading.save_limit(request.user)
            messages.error(
                request, f"A free account keeps {limit} saved stories: unsave one, or go premium."
            )
    return redirect(_back_to(request, story.get_absolute_url()))


@require_safe
@login_required
def saved_stories(request):
    context = {
        "saved": reading.saved_stories(request.user),
        "save_limit": reading.save_limit(request.user),
    }
    return render(request, "accounts/saved_stories.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def news_bias(request):
    """The reader's left/center/right mix against all coverage; POST switches it on or off."""
    if request.method == "POST":
        on = request.POST.get("news_bias") == "on"
        reading.switch_news_bias(user=request.user, on=on)
        messages.success(request, SWITCHED_ON if on else SWITCHED_OFF)
        return redirect("news_bias")
    enabled = reading.news_bias_on(request.user)
    context = {"enabled": enabled, **(reading.news_bias(request.user) if enabled else {})}
    return render(request, "accounts/news_bias.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reading_history(request):
    """Every story recorded for the reader; POST deletes them all."""
    if request.method == "POST":
        count = reading.delete_reading_history(user=request.user)
        messages.success(request, f"Deleted your reading history ({count} stories).")
        return redirect("reading_history")
    return render(
        request, "accounts/reading_history.html", {"reads": reading.reading_history(request.user)}
    )


@require_safe
@login_required
def reading_history_export(request):
    """The reading history as a JSON download."""
    reads = [
        {
            "story": read.story.title,
            "url": absolute_url(read.story.get_absolute_url()),
            "read_at": read.read_at.isoformat(),
        }
        for read in reading.reading_history(request.user)
    ]
    response = JsonResponse({"exported_at": timezone.now().isoformat(), "reads": reads})
    response["Content-Disposition"] = 'attachment; filename="reading-history.json"'
    return response
