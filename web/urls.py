"""Public pages for readers and the outgoing feeds."""

from django.urls import path
from django.views.generic import RedirectView

from . import views
from .cache import cache_shared_response
from .feeds import LatestStoriesAtomFeed, LatestStoriesFeed

urlpatterns = [
    path("", views.home, name="home"),
    path("stories/", RedirectView.as_view(pattern_name="home", permanent=False)),
    path("stories/<slug:slug>/", views.story_detail, name="story_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("blindspot/", views.blindspot, name="blindspot"),
    path("search/", views.search, name="search"),
    path("how-we-rate/", views.how_we_rate, name="how_we_rate"),
    path("feeds/stories/", cache_shared_response(LatestStoriesFeed()), name="story_feed"),
    path(
        "feeds/stories/atom/",
        cache_shared_response(LatestStoriesAtomFeed()),
        name="story_feed_atom",
    ),
]
