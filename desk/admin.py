"""The desk's inbox in the admin: articles in no story, with the stories they may belong to."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from sources.pagination import CappedPaginator

from .auto_attach import recent_auto_attachments, undo_auto_attachment
from .models import Suggestion
from .selectors import group_by_proposal, inbox_articles
from .services import (
    GONE,
    accept_suggestion,
    create_story_from_proposal,
    dismiss_suggestion,
    no_story_for,
)

# Articles per inbox page: each brings up to four suggestions.
ARTICLES_PER_PAGE = 50


@admin.register(Suggestion)
class InboxAdmin(admin.ModelAdmin):
    """Not a list of rows but one page per batch of articles; editors act with one click.

    Whoever may change stories may use it; suggestions themselves are written only by the
    engine's task and by these clicks.
    """

    def has_module_permission(self, request):
        return request.user.has_perm("stories.change_story")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(require_POST(function))

        return [
            path("<int:pk>/attach/", view(self.attach_view), name="desk_suggestion_attach"),
            path("<int:pk>/dismiss/", view(self.dismiss_view), name="desk_suggestion_dismiss"),
            path("<int:pk>/create/", view(self.create_view), name="desk_suggestion_create"),
            path(
                "article/<int:pk>/no-story/",
                view(self.no_story_view),
                name="desk_article_no_story",
            ),
            path("auto/<int:pk>/undo/", view(self.undo_view), name="desk_autoattachment_undo"),
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="desk_suggestion_changelist",
            ),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        paginator = CappedPaginator(inbox_articles(), ARTICLES_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        articles = list(page)
        groups, singles = group_by_proposal(articles)
        context = {
            **self.admin_site.each_context(request),
            "title": "Inbox",
            "opts": self.opts,
            "page": page,
            "articles": articles,
            "groups": groups,
            "singles": singles,
            "automatic": recent_auto_attachments(),
        }
        return TemplateResponse(request, "admin/desk/inbox.html", context)

    def attach_view(self, request, pk):
        self._check(request)
        try:
            story = accept_suggestion(suggestion_id=pk, by=request.user)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
        else:
            self.message_user(request, f"Attached to “{story.title}”.", messages.SUCCESS)
        return self._back(request)

    def create_view(self, request, pk):
        self._check(request)
        try:
            story = create_story_from_proposal(suggestion_id=pk, by=request.user)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return self._back(request)
        self.message_user(
            request,
            f"Created the draft “{story.title}” with {story.articles_created} articles: "
            "give it a title and key points.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:stories_story_change", args=[story.pk]))

    def dismiss_view(self, request, pk):
        self._check(request)
        if dismiss_suggestion(suggestion_id=pk):
            self.message_user(request, "Dismissed; it will not be suggested again.")
        else:
            self.message_user(request, GONE, messages.ERROR)
        return self._back(request)

    def no_story_view(self, request, pk):
        self._check(request)
        try:
            dismissed = no_story_for(article_id=pk)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
        else:
            note = f": dismissed {dismissed} suggestion{pluralize(dismissed)}" if dismissed else ""
            self.message_user(
                request, f"In no story{note}; nothing will be suggested for it again."
            )
        return self._back(request)

    def undo_view(self, request, pk):
        self._check(request)
        try:
            record = undo_auto_attachment(pk=pk)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                f"Took “{record.article.title}” out of “{record.story.title}”; it will not be "
                "filed there again.",
                messages.SUCCESS,
            )
        return self._back(request)

    def _check(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _back(self, request):
        """The inbox page the click came from (only a page number is taken from the form)."""
        url = reverse("admin:desk_suggestion_changelist")
        page = request.POST.get("p", "")
        return HttpResponseRedirect(f"{url}?p={page}" if page.isdigit() else url)
