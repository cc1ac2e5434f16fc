"""Forms of the editors' admin: the story form, its inlines, and the article actions' pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from .models import Story, StoryArticle
from .services import PUBLISH_NEEDS, publish_problems


class StoryAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Story.Status.PUBLISHED and not cleaned.get("published_at"):
            # Publishing from the form dates the story now, as the Publish action does.
            cleaned["published_at"] = timezone.now()
        return cleaned


class PublishRuleFormSet(BaseInlineFormSet):
    """An inline that a published story may not be left without.

    Each inline checks its own rows: what they will be once saved is known only
    here, before anything is written.
    """

    counts_as = "key_points"  # the publish_problems() argument these rows count for

    def clean(self):
        super().clean()
        if self.instance.status != Story.Status.PUBLISHED:
            return
        counts = {"key_points": 1, "articles": 1, self.counts_as: self.kept_count()}
        problems = publish_problems(**counts)
        if problems:
            raise ValidationError(
                f"This story cannot be published: {' and '.join(problems)}. {PUBLISH_NEEDS}",
                code="publish_needs",
            )

    def kept_count(self) -> int:
        """Rows left after saving: existing ones not deleted, plus new ones filled in."""
        initial = self.initial_form_count()
        return sum(
            1
            for index, form in enumerate(self.forms)
            if not self._should_delete_form(form) and (index < initial or form.has_changed())
        )


class KeyPointFormSet(PublishRuleFormSet):
    counts_as = "key_points"


class StoryArticleFormSet(PublishRuleFormSet):
    counts_as = "articles"


class StoryArticleInlineForm(forms.ModelForm):
    def clean_article(self):
        article = self.cleaned_data["article"]
        link = StoryArticle.objects.filter(article=article).select_related("story").first()
        if link is None:
            return article
        if link.story_id == self.instance.story_id:
            raise ValidationError("This article is already in this story.")
        raise ValidationError(
            f"This article is in the story “{link.story}”. To move it here, select it on "
            "the Articles page and use “Attach to story…”."
        )


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
