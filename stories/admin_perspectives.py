"""The story form's perspectives: per side, a pinned headline and a summary, both optional."""

from django import forms
from django.contrib import admin

from sources.models import Article

from .models import Perspective, StoryArticle
from .perspectives import pin_problem


class PerspectiveForm(forms.ModelForm):
    """Refuses to pin an article that is not in this story or whose outlet is on another side.

    A pin checked once can go stale (its article moved, its outlet re-rated); the page
    then ignores it, and the form checks it again only when the pin or its side changes,
    so a stale pin never stops editors saving the rest of the story.
    """

    class Meta:
        model = Perspective
        fields = ["side", "article", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.select_related("source")

    def clean(self):
        cleaned = super().clean()
        article, side = cleaned.get("article"), cleaned.get("side")
        if article is None or side is None or not {"article", "side"} & set(self.changed_data):
            return cleaned
        in_story = StoryArticle.objects.filter(article=article).values_list("story_id", flat=True)
        problem = pin_problem(
            side=side,
            story_id=self.instance.story_id,
            in_story_id=in_story.first(),
            source_name=article.source.name,
            source_bias=article.source.bias,
        )
        if problem:
            self.add_error("article", problem)
        return cleaned


class PerspectiveInline(admin.StackedInline):
    model = Perspective
    form = PerspectiveForm
    raw_id_fields = ["article"]  # a story can hold thousands of articles: no drop-down of them
    extra = 0
    max_num = 3
    verbose_name = "side's perspective"
    verbose_name_plural = "perspectives (optional: a pinned headline and a summary per side)"
