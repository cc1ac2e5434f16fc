"""The editors' admin for stories and the curation of articles into them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from sources.admin import ArticleAdmin, NewsroomAdmin, counted
from sources.models import Article
from sources.pagination import CappedPaginator

from .admin_display import coverage_table, split_text
from .admin_filters import InStoryFilter
from .admin_forms import (
    AttachToStoryForm,
    CreateStoryForm,
    KeyPointFormSet,
    StoryAdminForm,
)
from .admin_merge import MergeStoriesForm, SplitStoryForm
from .admin_perspectives import PerspectiveInline
from .admin_story_articles import articles_page
from .admin_topics import TopicAdmin
from .admin_widgets import ArticleAutocompleteView
from .coverage import coverage_for, split_of
from .models import KeyPoint, Story, Topic
from .services import (
    PUBLISH_NEEDS,
    attach_articles,
    create_story,
    detach_articles,
    merge_stories,
    move_key_point,
    publish_story,
    split_story,
    unpublish_story,
)

# The name of a key point's arrow buttons; the value is "<key point id>:up" or ":down".
MOVE_KEY_POINT = "_move_key_point"


class KeyPointInline(admin.TabularInline):
    """Key points in reading order: new ones go last, the arrows move one a place."""

    model = KeyPoint
    formset = KeyPointFormSet
    fields = ["text", "move"]
    readonly_fields = ["move"]
    extra = 1
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "key-point-text"})}
    }

    class Media:
        css = {"all": ["css/admin-story.css"]}

    @admin.display(description="order")
    def move(self, point):
        if point.pk is None:
            return self.get_empty_value_display()
        # Plain submit buttons: they save the form, then StoryAdmin.response_change moves.
        return format_html(
            '<button type="submit" name="{0}" value="{1}:up" title="Move up">↑</button> '
            '<button type="submit" name="{0}" value="{1}:down" title="Move down">↓</button>',
            MOVE_KEY_POINT,
            point.pk,
        )


@admin.register(Story)
class StoryAdmin(NewsroomAdmin):
    form = StoryAdminForm
    list_display = [
        "title",
        "status",
        "published_at",
        "article_count",
        "source_count",
        "bias_split",
        "updated_at",
    ]
    list_filter = ["status", "published_at"]
    # Searched by get_search_results().
    search_fields = ["title"]
    search_help_text = "Words of the title or of a key point."
    # Count at most CappedPaginator.limit stories, and not the unfiltered total.
    paginator = CappedPaginator
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    inlines = [KeyPointInline, PerspectiveInline]
    autocomplete_fields = ["topics"]
    readonly_fields = ["coverage", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published_at", "topics"]}),
        ("Articles", {"fields": ["attach"]}),
        ("Coverage", {"fields": ["coverage"]}),
        ("History", {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    actions = ["publish", "unpublish", "merge_selected"]

    def get_search_results(self, request, queryset, search_term):
        """Stories whose title, or whose key points, hold every word of the term.

        The key points are read from the story's stored key_points_text (stories/
        search_text.py), not through a join, and on PostgreSQL both columns have a
        trigram index (migration 0012) that answers `icontains`.
        """
        words = search_term.split()
        if not words:
            return queryset, False
        title = Q(*(Q(title__icontains=word) for word in words))
        points = Q(*(Q(key_points_text__icontains=word) for word in words))
        return queryset.filter(title | points), False

    @admin.display(description="left · center · right")
    def bias_split(self, story):
        split = split_of(story)
        return format_html('<span title="{}">{}</span>', split.sentence, split_text(split))

    @admin.display(description="coverage figures")
    def coverage(self, story):
        if story.pk is None:
            return "Shown once the story is saved."
        # Only staff reach the admin, and staff always may see factuality.
        return coverage_table(coverage_for(story, with_factuality=True))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Articles are placed and removed through the services, as by the Articles actions.
        story = form.instance
        if form.cleaned_data["detach"]:
            detach_articles(story=story, articles=form.cleaned_data["detach"])
        if form.cleaned_data["attach"]:
            attach_articles(story=story, articles=[form.cleaned_data["attach"]], by=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["articles"] = articles_page(obj, request.GET)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        """After an arrow button of a key point: move it, and come back to the page."""
        if MOVE_KEY_POINT not in request.POST:
            return super().response_change(request, obj)
        point_id, _, direction = request.POST[MOVE_KEY_POINT].partition(":")
        moved = point_id.isdigit() and move_key_point(
            story=obj, point_id=int(point_id), up=direction == "up"
        )
        if moved:
            self.message_user(request, "Saved, and moved the key point.", messages.SUCCESS)
        else:
            message = "That key point is no longer in this story; the rest was saved."
            self.message_user(request, message, messages.WARNING)
        return HttpResponseRedirect(request.get_full_path())

    @admin.action(description="Publish selected stories", permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for story in queryset:
            try:
                publish_story(story=story)
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            else:
                published += 1
        if published < len(queryset):
            self.message_user(request, PUBLISH_NEEDS, messages.WARNING)
        if published:
            self.message_user(
                request, f"Published {counted(published, 'story', 'stories')}.", messages.SUCCESS
            )

    @admin.action(description="Unpublish selected stories (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        for story in queryset:
            unpublish_story(story=story)
        self.message_user(
            request,
            f"Took {counted(len(queryset), 'story', 'stories')} back to draft.",
            messages.SUCCESS,
        )

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description="Merge selected stories into one…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Ask which story to keep, then merge the others into it, all or none."""
        stories = queryset.order_by("created_at", "pk")
        if len(stories) < 2:
            message = "Select at least two stories to merge; nothing was changed."
            return self.message_user(request, message, messages.ERROR)
        data = request.POST if "confirm" in request.POST else None
        form = MergeStoriesForm(data, stories=stories)
        if form.is_bound and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            try:
                with transaction.atomic():
                    for absorbed in stories:
                        if absorbed.pk != survivor.pk:
                            merge_stories(survivor=survivor, absorbed=absorbed, by=request.user)
            except ValidationError as refusal:
                form.add_error(None, refusal.messages)
            else:
                merged = counted(len(stories) - 1, "story", "stories")
                self.message_user(request, f"Merged {merged} into “{survivor}”.", messages.SUCCESS)
                survivor_url = reverse("admin:stories_story_change", args=[survivor.pk])
                return HttpResponseRedirect(survivor_url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge stories",
            "opts": self.opts,
            "form": form,
            "stories": stories,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/stories/story/merge.html", context)


admin.site.register(Topic, TopicAdmin)


def _moved_from(articles, *, to=None) -> list[Story]:
    """The other stories these articles are in now, and will leave for story `to`."""
    stories = {}
    for article in articles:
        link = getattr(article, "story_link", None)
        if link is not None and link.story_id != getattr(to, "pk", None):
            stories[link.story_id] = link.story
    return list(stories.values())


admin.site.unregister(Article)


@admin.register(Article)
class CuratedArticleAdmin(ArticleAdmin):
    """Articles with their story, and the actions that gather them into stories."""

    list_display = [*ArticleAdmin.list_display, "story"]
    list_filter = [InStoryFilter, *ArticleAdmin.list_filter]
    list_select_related = ["source", "story_link__story"]
    readonly_fields = [*ArticleAdmin.readonly_fields, "story"]
    actions = ["attach_to_story", "create_story_from_selected", "split_into_new_story"]

    @admin.display(description="story", ordering="story_link__story__title")
    def story(self, article):
        link = getattr(article, "story_link", None)
        if link is None:
            return None
        url = reverse("admin:stories_story_change", args=[link.story_id])
        return format_html('<a href="{}">{}</a>', url, link.story.title)

    def get_urls(self):
        autocomplete = ArticleAutocompleteView.as_view(admin_site=self.admin_site)
        view = self.admin_site.admin_view(autocomplete)
        # Before the default URLs, whose "<object id>/" pattern would take this path.
        return [
            path("autocomplete/", view, name="sources_article_autocomplete"),
            *super().get_urls(),
        ]

    def has_curate_permission(self, request):
        return request.user.has_perms(["stories.add_storyarticle", "stories.change_storyarticle"])

    def has_create_story_permission(self, request):
        return self.has_curate_permission(request) and request.user.has_perm("stories.add_story")

    @admin.action(description="Attach to story…", permissions=["curate"])
    def attach_to_story(self, request, queryset):
        return self._confirm(request, queryset, "attach_to_story", AttachToStoryForm, self._attach)

    @admin.action(description="Create story from selected", permissions=["create_story"])
    def create_story_from_selected(self, request, queryset):
        action = "create_story_from_selected"
        return self._confirm(request, queryset, action, CreateStoryForm, self._create)

    @admin.action(
        description="Split selected articles into a new story…", permissions=["create_story"]
    )
    def split_into_new_story(self, request, queryset):
        action = "split_into_new_story"
        return self._confirm(request, queryset, action, SplitStoryForm, self._split)

    def _confirm(self, request, queryset, action, form_class, done):
        """Show the action's page until its form is confirmed, then let done() act."""
        articles = list(queryset.select_related("source", "story_link__story"))
        if not articles:
            message = "None of the selected articles exists any more; nothing was changed."
            return self.message_user(request, message, messages.ERROR)
        form = form_class(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                return done(request, articles, form.cleaned_data)
            except ValidationError as refusal:
                form.add_error(None, refusal.messages)
        context = {
            **self.admin_site.each_context(request),
            "title": self.get_action(action)[2],
            "opts": self.opts,
            "form": form,
            "articles": articles,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/sources/article/curate.html", context)

    def _attach(self, request, articles, data):
        story = data["story"]
        moved_from = _moved_from(articles, to=story)
        count = attach_articles(story=story, articles=articles, by=request.user)
        message = f"Attached {counted(count, 'article')} to “{story}”."
        self.message_user(request, message + _moved_note(moved_from), messages.SUCCESS)
        self._warn_if_emptied(request, moved_from)

    def _create(self, request, articles, data):
        moved_from = _moved_from(articles)
        story = create_story(
            title=data["title"], articles=articles, key_points=data["key_points"], by=request.user
        )
        message = f"Created the draft story “{story}” with {counted(len(articles), 'article')}."
        self.message_user(request, message + _moved_note(moved_from), messages.SUCCESS)
        self._warn_if_emptied(request, moved_from)
        return HttpResponseRedirect(reverse("admin:stories_story_change", args=[story.pk]))

    def _split(self, request, articles, data):
        """Split from the story of the first placed article; the others must be in it too."""
        placed = [link.story for a in articles if (link := getattr(a, "story_link", None))]
        if not placed:
            raise ValidationError("None of the selected articles is in a story; nothing to split.")
        old = placed[0]
        new = split_story(story=old, articles=articles, title=data["title"], by=request.user)
        message = f"Split {counted(len(articles), 'article')} from “{old}” into “{new}”."
        self.message_user(request, message, messages.SUCCESS)
        self._warn_if_emptied(request, [old])
        return HttpResponseRedirect(reverse("admin:stories_story_change", args=[new.pk]))

    def _warn_if_emptied(self, request, stories):
        """Moving articles out may leave a published story with none; say so."""
        emptied = (
            Story.objects.filter(
                pk__in=[story.pk for story in stories], status=Story.Status.PUBLISHED
            )
            .annotate(articles=Count("story_articles"))
            .filter(articles=0)
        )
        for story in emptied:
            message = f"“{story}” is still published but has no articles left; "
            self.message_user(request, message + "attach some or unpublish it.", messages.WARNING)


def _moved_note(stories) -> str:
    if not stories:
        return ""
    names = ", ".join(f"“{story}”" for story in stories)
    return f" Articles that were in other stories were moved from: {names}."
