"""The forms of the admin's actions that merge stories and split one."""

from django import forms

from .models import Story


class MergeStoriesForm(forms.Form):
    """Which of the selected stories is kept; the others are merged into it."""

    survivor = forms.ModelChoiceField(
        queryset=Story.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep",
        help_text=(
            "The other stories' articles and key points move into this one; they are "
            "deleted and their addresses lead here."
        ),
    )

    def __init__(self, *args, stories, **kwargs):
        """`stories`, a queryset of the selected stories; the oldest is picked at first."""
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = stories
        oldest = min(stories, key=lambda story: (story.created_at, story.pk))
        self.fields["survivor"].initial = oldest.pk


class SplitStoryForm(forms.Form):
    title = forms.CharField(
        max_length=Story._meta.get_field("title").max_length,
        help_text="The new draft story's title; the selected articles move into it.",
    )
