"""The articles of a story on its change page: a read-only list, one page at a time.

An inline form per article made the page slow and very long for big stories; a
page of plain rows costs two queries whatever the story's size, and articles are
detached with a checkbox per row and attached with one search field
(StoryAdminForm), both through the services.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.urls import reverse

from sources.ratings import Bias

from .admin_display import moment
from .models import Story, StoryArticle

ARTICLES_PER_PAGE = 50
PAGE_PARAMETER = "articles_page"


@dataclass(frozen=True)
class ArticleRow:
    article_id: int
    title: str
    url: str
    outlet: str
    bias: str
    published: str


@dataclass(frozen=True)
class ArticlesPage:
    page: Page
    rows: list[ArticleRow]
    previous_url: str | None
    next_url: str | None


def articles_page(story: Story, query) -> ArticlesPage:
    """The page of the story's articles, newest first, that `query` asks for.

    A page number that is not a number, or past either end, gives the nearest
    page (Paginator.get_page), never an error.
    """
    links = (
        StoryArticle.objects.filter(story=story)
        .select_related("article__source")
        .order_by("-article__published_at", "-pk")
    )
    page = Paginator(links, ARTICLES_PER_PAGE).get_page(query.get(PAGE_PARAMETER))

    def url_of(number):
        params = query.copy()
        params[PAGE_PARAMETER] = number
        return "?" + params.urlencode()

    rows = [
        ArticleRow(
            article_id=link.article_id,
            title=link.article.title,
            url=reverse("admin:sources_article_change", args=[link.article_id]),
            outlet=link.article.source.name,
            bias=Bias.label_of(link.article.source.bias),
            published=moment(link.article.published_at),
        )
        for link in page.object_list
    ]
    return ArticlesPage(
        page=page,
        rows=rows,
        previous_url=url_of(page.previous_page_number()) if page.has_previous() else None,
        next_url=url_of(page.next_page_number()) if page.has_next() else None,
    )
