"""The article picker of the story form: articles in no story yet, labelled with their outlet."""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect


class ArticleAutocompleteView(AutocompleteJsonView):
    """Search results as "headline — outlet", for articles that no story holds.

    One wire headline runs in many outlets, so the headline alone does not tell
    the choices apart. Articles of another story are moved with the Articles
    page's action, and the story form refuses them, so they are not offered.
    """

    def get_queryset(self):
        return super().get_queryset().filter(in_story=False).select_related("source")

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        return result | {"text": f"{obj.title} — {obj.source.name}"}


class ArticleAutocompleteSelect(AutocompleteSelect):
    url_name = "%s:sources_article_autocomplete"
