"""The admin index's count of the articles waiting in no story."""

from django import template

from sources.models import Article
from sources.pagination import CappedPaginator

register = template.Library()


@register.simple_tag
def inbox_waiting() -> str:
    """How many articles no story holds, counted up to CappedPaginator.limit (the partial
    index of the inbox answers it; beyond the limit the figure says "more than")."""
    limit = CappedPaginator.limit
    waiting = Article.objects.filter(in_story=False).values("pk")[: limit + 1].count()
    if waiting > limit:
        return f"More than {limit:,} articles"
    return f"{waiting:,} article{'' if waiting == 1 else 's'}"
