"""Public pages for readers: thin views over the page reads, main content cached per audience."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from accounts.follows import follow_topic, unfollow_topic
from accounts.premium import may_see_factuality
from stories.freshness import content_version
from stories.models import Story, Topic

from . import pages, topics
from .blindspot import blindspot_page, blindspot_threshold
from .cache import (
    ANONYMOUS,
    PREMIUM,
    audience_for,
    cached_fragment,
    shares_whole_page,
)
from .query_string import MAX_QUERY_LENGTH, clean_page, clean_query, clean_side, clean_tab
from .save_button import with_save_button
from .search import search_site
from .shell import shared_page


def _cached_page(
    request,
    *,
    template: str,
    page: str,
    params: tuple,
    build,
    layout: str = "page.html",
    layout_context: dict | None = None,
):
    """Render the page with `template` as its main content, cached for the reader's audience.

    build(with_factuality, version) returns the template's context, including its "title";
    version is the content version read before anything else (see web/digest.py).
    Header and footer show who is logged in: they are rendered per request, except for
    anonymous readers with no message waiting, who all get the same whole page. So is
    `layout` around the main content, with `layout_context`, which may be the reader's own.
    """
    audience = audience_for(request.user)
    version = content_version()

    def render_fragment() -> dict:
        context = build(audience == PREMIUM, version)
        return {"title": context["title"], "main": render_to_string(template, context)}

    def render_page(shared: bool = False) -> tuple[str, bool]:
        fragment, hit = cached_fragment(
            audience=audience, page=page, params=params, render=render_fragment, version=version
        )
        # The fragment is the output of our own autoescaping templates.
        main = mark_safe(fragment["main"])  # noqa: S308
        if shared and not layout_context:
            return shared_page(request, layout=layout, title=fragment["title"], main=main), hit
        context = {**(layout_context or {}), "title": fragment["title"], "main": main}
        return render_to_string(layout, context, request), hit

    if shares_whole_page(request):
        html, hit = cached_fragment(
            audience=ANONYMOUS,
            page=page,
            params=params,
            render=lambda: render_page(shared=True)[0],
            version=version,
        )
    else:
        html, hit = render_page()
    response = HttpResponse(html)
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


@require_safe
def home(request):
    page = clean_page(request.GET.get("page"))
    return _cached_page(
        request,
        template="web/home.html",
        page="home",
        params=(page,),
        build=lambda *_: {"title": "Top stories", "stories": pages.home_page(page=page)},
    )


@require_safe
def story_detail(request, slug):
    tab = clean_tab(request.GET.get("bias"))
    page = clean_page(request.GET.get("page"))

    def build(with_factuality: bool, version: int) -> dict:
        story = pages.story_page(
            slug=slug, tab=tab, page=page, with_factuality=with_factuality, version=version
        )
        return {
            "title": story.story.title,
            "page": story,
            "show_factuality": with_factuality,
            "topics": story.topics,
        }

    try:
        response = _cached_page(
            request,
            template="web/story_detail.html",
            page="story",
            params=(slug, tab, page),
            build=build,
        )
    except Http404:
        # Looked up only now, so that a story found costs no query more.
        survivor = Story.objects.published().absorbed(slug).first()
        if survivor is None:
            raise
        return redirect(survivor, permanent=True)
    return with_save_button(request, response, slug=slug)


@require_safe
def source_detail(request, slug):
    def build(with_factuality: bool, _version: int) -> dict:
        profile, articles = pages.source_page(slug=slug, with_factuality=with_factuality)
        return {
            "title": profile.name,
            "source": profile,
            "articles": articles,
            "show_factuality": with_factuality,
        }

    return _cached_page(
        request, template="web/source_detail.html", page="source", params=(slug,), build=build
    )


@require_safe
def blindspot(request):
    side = clean_side(request.GET.get("side"))
    page = clean_page(request.GET.get("page"))
    threshold = blindspot_threshold()
    return _cached_page(
        request,
        template="web/blindspot.html",
        page="blindspot",
        # The threshold is in the key so a new setting takes effect at once.
        params=(side, page, threshold),
        build=lambda *_: {
            "title": "Blindspot",
            "stories": blindspot_page(side=side, page=page, threshold=threshold),
            "side": side,
            "threshold": threshold,
        },
    )


@require_safe
def search(request):
    """Not cached: the space of queries is unbounded and each search costs three queries."""
    query, shortened = clean_query(request.GET.get("q", ""))
    results = search_site(query, with_factuality=may_see_factuality(request.user))
    return render(
        request,
        "web/search.html",
        {"results": results, "shortened": shortened, "max_length": MAX_QUERY_LENGTH},
    )


# Crawlers may read the public pages; the admin, the API and readers' own pages are not
# for search engines (they answer logged-in people, or carry no content of their own).
ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /accounts/
Disallow: /billing/
Disallow: /for-you/
Disallow: /my-news-bias/
Disallow: /saved/
Disallow: /search/
"""


@require_safe
def robots_txt(request):
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")


@require_safe
def how_we_rate(request):
    return render(request, "web/how_we_rate.html", {"threshold": blindspot_threshold()})


@require_safe
def topic_list(request):
    return _cached_page(
        request,
        template="web/topic_list.html",
        page="topics",
        params=(),
        build=lambda *_: {"title": "Topics", "topics": topics.topic_list()},
    )


@require_safe
def topic_detail(request, slug):
    """The topic's stories are cached; the Follow button around them is the reader's own."""
    page = clean_page(request.GET.get("page"))

    def build(*_) -> dict:
        topic, stories = topics.topic_page(slug=slug, page=page)
        return {"title": topic.name, "topic": topic, "stories": stories}

    return _cached_page(
        request,
        template="web/_topic_stories.html",
        page="topic",
        params=(slug, page),
        build=build,
        layout="web/topic_detail.html",
        layout_context={"slug": slug, "following": topics.is_following(request.user, slug)},
    )


@require_POST
def topic_follow(request, slug, *, follow: bool):
    """Follow or unfollow the topic, then back to its page (log in first if need be)."""
    topic = get_object_or_404(Topic, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    if follow:
        follow_topic(user=request.user, topic=topic)
        messages.success(request, f"You follow {topic.name}: its stories are on your For you page.")
    else:
        unfollow_topic(user=request.user, topic=topic)
        messages.success(request, f"You no longer follow {topic.name}.")
    return redirect(topic)


@login_required
@require_safe
def for_you(request):
    """Stories of the topics the reader follows; per reader, so never cached."""
    page = clean_page(request.GET.get("page"))
    context = {
        "stories": topics.for_you_page(request.user, page=page),
        "followed": topics.followed_topics(request.user),
    }
    return render(request, "web/for_you.html", context)
