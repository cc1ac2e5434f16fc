"""Forms of the editors' admin: the story form, its key points, and the article actions' pages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from sources.models import Article

from .admin_widgets import ArticleAutocompleteSelect
from .models import Story, StoryArticle
from .services import PUBLISH_NEEDS, publish_problems


def publish_refusal(**counts) -> ValidationError | None:
    """The error for a published story that these counts would leave incomplete."""
    problems = publish_problems(**counts)
    if not problems:
        return None
    return ValidationError(
        f"This story cannot be published: {' and '.join(problems)}. {PUBLISH_NEEDS}",
        code="publish_needs",
    )


class StoryAdminForm(forms.ModelForm):
    """The story, plus the articles to attach and detach when it is saved.

    The change page lists the articles read-only (stories/admin_story_articles.py);
    each row's "detach" checkbox posts the article's id, and `attach` is the search
    field of articles in no story.
    """

    attach = forms.ModelChoiceField(
        queryset=Article.objects.all(),
        required=False,
        label="Attach an article",
        help_text="Search the articles in no story by headline or outlet.",
        widget=ArticleAutocompleteSelect(StoryArticle._meta.get_field("article"), admin.site),
    )
    detach = forms.ModelMultipleChoiceField(
        queryset=Article.objects.all(),
        required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={
            "invalid_choice": "An article marked to detach no longer exists; nothing was changed."
        },
    )

    def clean_attach(self):
        article = self.cleaned_data["attach"]
        if article is None:
            return None
        link = StoryArticle.objects.filter(article=article).select_related("story").first()
        if link is None:
            return article
        if link.story_id == self.instance.pk:
            raise ValidationError("This article is already in this story.")
        raise ValidationError(
            f"This article is in the story “{link.story}”. To move it here, select it on "
            "the Articles page and use “Attach to story…”."
        )

    def clean_detach(self):
        articles = list(self.cleaned_data["detach"])
        links = StoryArticle.objects.filter(story_id=self.instance.pk, article__in=articles)
        placed = set(links.values_list("article_id", flat=True))
        gone = [article for article in articles if article.pk not in placed]
        if gone:
            names = ", ".join(f"“{article.title}”" for article in gone)
            raise ValidationError(
                f"No longer in this story, detached meanwhile: {names}. Nothing was changed; "
                "the list below shows the story's articles now."
            )
        return articles

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Story.Status.PUBLISHED:
            if not cleaned.get("published_at"):
                # Publishing from the form dates the story now, as the Publish action does.
                cleaned["published_at"] = timezone.now()
            refusal = publish_refusal(key_points=1, articles=self.kept_articles())
            if refusal:
                self.add_error(None, refusal)
        return cleaned

    def kept_articles(self) -> int:
        """The story's articles once saved: placed ones not detached, plus the attached one."""
        placed = 0
        if self.instance.pk is not None:
            placed = StoryArticle.objects.filter(story_id=self.instance.pk).count()
        detached = len(self.cleaned_data.get("detach") or [])
        return placed - detached + (1 if self.cleaned_data.get("attach") else 0)


class KeyPointFormSet(BaseInlineFormSet):
    """The key points, which a published story may not be left without.

    What the rows will be once saved is known only here, before anything is
    written; the story form checks the articles the same way.
    """

    def clean(self):
        super().clean()
        if self.instance.status != Story.Status.PUBLISHED:
            return
        refusal = publish_refusal(key_points=self.kept_count(), articles=1)
        if refusal:
            raise refusal

    def kept_count(self) -> int:
        """Rows left after saving: existing ones not deleted, plus new ones filled in."""
        initial = self.initial_form_count()
        return sum(
            1
            for index, form in enumerate(self.forms)
            if not self._should_delete_form(form) and (index < initial or form.has_changed())
        )

    def save_new(self, form, commit=True):
        # A new key point goes after the others; the up and down buttons move it.
        last = self.instance.key_points.aggregate(last=Max("position"))["last"]
        form.instance.position = 0 if last is None else last + 1
        return super().save_new(form, commit)


class StoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, story):
        return f"{story.title} ({story.get_status_display()})"


class AttachToStoryForm(forms.Form):
    story = StoryChoiceField(
        # Drafts first: articles are mostly gathered before a story goes out.
        queryset=Story.objects.order_by("status", "-updated_at"),
        help_text="Articles that are in another story now are moved to this one.",
    )


class CreateStoryForm(forms.Form):
    title = forms.CharField(max_length=Story._meta.get_field("title").max_length)
    key_points = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text="Optional. One key point per line; you can edit and reorder them later.",
    )

    def clean_key_points(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["key_points"].splitlines() if line.strip()
        ]
