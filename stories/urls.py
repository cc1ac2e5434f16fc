"""Public pages for readers."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("stories/<slug:slug>/", views.story_detail, name="story_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
]
