"""API viewsets: thin wrappers around the selectors, the coverage figures and the services."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import APIRootView

from accounts.premium import may_see_factuality
from sources.site_url import absolute_url
from stories import services
from stories.coverage import coverage_for

from . import selectors
from .cache import cached_answer
from .filters import PAGE_PARAMS, ArticleFilter, SourceFilter, StoryFilter, refuse_unanswerable
from .pagination import PageNumbers
from .parsers import StrictJSONParser
from .permissions import EditorsMayWrite, is_editor
from .schema import STORY_EXAMPLE
from .serializers import (
    ArticleSelectionSerializer,
    ArticleSerializer,
    DetachSerializer,
    SourceSerializer,
    StoryCreateSerializer,
    StoryDetailSerializer,
    StorySerializer,
    StoryWriteSerializer,
    TopicSerializer,
)


class ApiRoot(APIRootView):
    """/api/v1/: where each resource's list is, on SITE_URL (DRF's takes the Host header)."""

    def get(self, request, *args, **kwargs):
        namespace = request.resolver_match.namespace
        lists = {key: reverse(f"{namespace}:{name}") for key, name in self.api_root_dict.items()}
        return Response({key: absolute_url(path) for key, path in lists.items()})


class NewsroomViewSet(viewsets.GenericViewSet):
    """Shared wiring: JSON only, editors write, lists are paginated and strict about parameters."""

    permission_classes = [EditorsMayWrite]
    pagination_class = PageNumbers
    filter_backends = [DjangoFilterBackend]
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]
    lookup_field = "slug"
    list_actions = frozenset({"list"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        self.show_factuality = may_see_factuality(request.user)
        if self.action in self.list_actions:
            refuse_unanswerable(
                request.query_params, allowed=self.allowed_params(), factuality=self.show_factuality
            )

    def allowed_params(self) -> set[str]:
        if self.action == "list" and self.filterset_class is not None:
            return PAGE_PARAMS | set(self.filterset_class.base_filters)
        return set(PAGE_PARAMS)

    @cached_property
    def editor(self) -> bool:
        return is_editor(self.request.user)

    def filter_queryset(self, queryset):
        # Only lists filter; a detail answers the same whatever the query string.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["factuality"] = getattr(self, "show_factuality", False)
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # What a response holds depends on who asks: keep shared caches from mixing them.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    def valid_data(self, serializer_class, *, instance=None, partial=False, **context) -> dict:
        """The request body, validated by serializer_class (a 400 with field errors if not)."""
        serializer = serializer_class(
            instance,
            data=self.request.data,
            partial=partial,
            context={**self.get_serializer_context(), **context},
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


WRITE = {"responses": StoryDetailSerializer}
NO_BODY = {"request": None}


@extend_schema_view(
    list=extend_schema(summary="Published stories with their coverage counts"),
    retrieve=extend_schema(
        summary="One story with its full coverage",
        responses=StoryDetailSerializer,
        examples=[STORY_EXAMPLE],
    ),
    create=extend_schema(
        summary="Create a draft story (editors)",
        request=StoryCreateSerializer,
        responses={201: StoryDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change title, slug or key points (editors)",
        request=StoryWriteSerializer,
        responses=StoryDetailSerializer,
    ),
)
class StoryViewSet(NewsroomViewSet):
    """Stories that gather outlets' articles about one event, with their coverage.

    Readers see published stories; editors also see drafts, and write.
    """

    filterset_class = StoryFilter
    serializer_class = StorySerializer
    list_actions = frozenset({"list", "articles"})
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.story_list(editor=self.editor)
        if self.action == "retrieve":
            return selectors.story_detail(editor=self.editor)
        return selectors.visible_stories(editor=self.editor)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "editor": self.editor}

    def list(self, request):
        return cached_answer(self, self.list_answer, request)

    def list_answer(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.summarise_coverage(page, with_factuality=self.show_factuality)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def story_response(self, story, status_code=status.HTTP_200_OK, *, reload=True):
        """The story's detail representation with its coverage, reloaded after a write."""
        if reload:
            story = selectors.story_detail(editor=self.editor).get(pk=story.pk)
        story.coverage = coverage_for(story, with_factuality=self.show_factuality)
        data = StoryDetailSerializer(story, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def retrieve(self, request, slug=None):
        try:
            return cached_answer(self, self.retrieve_answer, request)
        except Http404:
            redirect = self.to_survivor(request, slug, "detail")
            if redirect is None:
                raise
            return redirect

    def to_survivor(self, request, slug, action):
        """A permanent redirect to the same action of the story that absorbed `slug` in a
        merge, with the same query (e.g. its page); None when no story did."""
        # Looked up only now, so that a story found costs no query more.
        survivor = selectors.visible_stories(editor=self.editor).absorbed(slug).first()
        if survivor is None:
            return None
        url = self.reverse_action(action, kwargs={"slug": survivor.slug})
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    def retrieve_answer(self, request):
        return self.story_response(self.get_object(), reload=False)

    def create(self, request):
        data = self.valid_data(StoryCreateSerializer)
        story = services.create_story(by=request.user, **data)
        response = self.story_response(story, status.HTTP_201_CREATED)
        response["Location"] = str(response.data["url"])  # a Hyperlink, which WSGI refuses
        return response

    def partial_update(self, request, slug=None):
        story = self.get_object()
        data = self.valid_data(StoryWriteSerializer, instance=story, partial=True)
        return self.story_response(services.update_story(story=story, **data))

    @extend_schema(
        summary="The story's articles with their outlets", responses=ArticleSerializer(many=True)
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def articles(self, request, slug=None):
        try:
            return cached_answer(self, self.articles_answer, request)
        except Http404:
            redirect = self.to_survivor(request, slug, "articles")
            if redirect is None:
                raise
            return redirect

    def articles_answer(self, request):
        page = self.paginate_queryset(selectors.story_articles(self.get_object()))
        data = ArticleSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(summary="Attach articles (editors)", **WRITE, request=ArticleSelectionSerializer)
    @action(detail=True, methods=["post"], url_path="articles/attach")
    def attach(self, request, slug=None):
        return self.move_articles(
            ArticleSelectionSerializer, services.attach_articles, by=request.user
        )

    @extend_schema(summary="Detach articles (editors)", **WRITE, request=DetachSerializer)
    @action(detail=True, methods=["post"], url_path="articles/detach")
    def detach(self, request, slug=None):
        return self.move_articles(DetachSerializer, services.detach_articles)

    def move_articles(self, serializer_class, service, **options):
        """Validate the selected articles, let the story service move them, show the story."""
        story = self.get_object()
        data = self.valid_data(serializer_class, story=story)
        service(story=story, articles=data["articles"], **options)
        return self.story_response(story)

    @extend_schema(
        summary="Publish (editors; needs a key point and an article)", **WRITE, **NO_BODY
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        return self.story_response(services.publish_story(story=self.get_object()))

    @extend_schema(summary="Take back to draft (editors)", **WRITE, **NO_BODY)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, slug=None):
        return self.story_response(services.unpublish_story(story=self.get_object()))


def summaries(*, list: str, retrieve: str):
    """The schema's one-line summaries of a read-only resource's two actions."""
    return extend_schema_view(
        list=extend_schema(summary=list), retrieve=extend_schema(summary=retrieve)
    )


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewsroomViewSet):
    """A resource readers list and read, and nobody writes through the API."""

    def list(self, request, *args, **kwargs):
        return cached_answer(self, super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return cached_answer(self, super().retrieve, request, *args, **kwargs)


@summaries(list="Articles with their outlet and story", retrieve="One article")
class ArticleViewSet(ReadOnlyViewSet):
    """Articles as the outlets' feeds described them; the full text stays with the outlet."""

    queryset = selectors.article_list()
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    lookup_field = "pk"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "unassigned" in request.query_params and not self.editor:
            # Which articles sit in no story would reveal which sit in drafts.
            self.permission_denied(request, message="Only editors may filter by unassigned.")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "editor": self.editor}


@summaries(list="Outlets with their ratings and owners", retrieve="One outlet")
class SourceViewSet(ReadOnlyViewSet):
    """Outlets, their owners and their ratings (factuality for premium readers)."""

    queryset = selectors.source_list()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter


@summaries(
    list="Topics with their counts of published stories",
    retrieve="One topic (its stories: /api/v1/stories/?topic=<slug>)",
)
class TopicViewSet(ReadOnlyViewSet):
    """Subjects editors tag stories with; stories name theirs, and filter by one with ?topic=."""

    queryset = selectors.topic_list()
    serializer_class = TopicSerializer
    filterset_class = None  # a short list, read whole: only page and page_size
