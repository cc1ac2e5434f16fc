"""API addresses: /api/v1/ resources, the schema, its docs and the token page."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .exceptions import not_found
from .tokens import token_page
from .views import ApiRoot, ArticleViewSet, SourceViewSet, StoryViewSet, TopicViewSet

app_name = "api"


class Router(DefaultRouter):
    APIRootView = ApiRoot
    include_format_suffix_patterns = False


router = Router()
router.register("stories", StoryViewSet, basename="story")
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("topics", TopicViewSet, basename="topic")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own, so
    # the page runs under the site's CSP (script-src 'self', no inline scripts).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("token/", token_page, name="token"),
    re_path(r"^", not_found),  # anything else under /api/, newlines included
]
