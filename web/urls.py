"""Public pages for readers and the outgoing feeds."""

from django.urls import path
from django.views.generic import RedirectView

from . import views
from .cache import cache_shared_response
from .feeds import LatestStoriesAtomFeed, LatestStoriesFeed, TopicAtomFeed, TopicFeed

urlpatterns = [
    path("", views.home, name="home"),
    path("stories/", RedirectView.as_view(pattern_name="home", permanent=False)),
    path("stories/<slug:slug>/", views.story_detail, name="story_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("blindspot/", views.blindspot, name="blindspot"),
    path("search/", views.search, name="search"),
    path("how-we-rate/", views.how_we_rate, name="how_we_rate"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("topics/<slug:slug>/follow/", views.topic_follow, {"follow": True}, name="topic_follow"),
    path(
        "topics/<slug:slug>/unfollow/",
        views.topic_follow,
        {"follow": False},
        name="topic_unfollow",
    ),
    path("for-you/", views.for_you, name="for_you"),
    path("feeds/stories/", cache_shared_response(LatestStoriesFeed()), name="story_feed"),
    path(
        "feeds/stories/atom/",
        cache_shared_response(LatestStoriesAtomFeed()),
        name="story_feed_atom",
    ),
    path("feeds/topics/<slug:slug>/", cache_shared_response(TopicFeed()), name="topic_feed"),
    path(
        "feeds/topics/<slug:slug>/atom/",
        cache_shared_response(TopicAtomFeed()),
        name="topic_feed_atom",
    ),
]
