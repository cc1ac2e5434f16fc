"""A story's list of articles with copies of one text shown once (sources/copies.py).

Each group of copies becomes one card, its first-published article's (the one whose link
the recount marks as leading them, StoryArticle.lead), listing the other outlets that
carried it. Counts of coverage are not read here: every outlet still counts.
"""

from dataclasses import replace

from django.db.models import Count, Q

from sources.copies import outlets_of_copies
from sources.models import Article
from sources.ratings import BUCKETS, bias_bucket_q

from .cards import ArticleCard, OtherCopy, card, page_url
from .templatetags.newsroom_site import outbound


def _leads(tab: str) -> Q:
    """The articles of a story that stand for their copies in the tab: the first published
    of each text in the story, or in the side's articles (StoryArticle.lead, side_lead)."""
    return Q(story_link__lead=True) if tab == "all" else Q(story_link__side_lead=True)


def card_counts(articles) -> dict[str, int]:
    """Aggregates of the cards in each tab ("all_cards", "left_cards", ...): the articles
    there that lead their copies, to be read in the same query as the tabs' article counts.
    `articles` are a story's (the leads are kept per story)."""
    return {
        f"{tab}_cards": Count("id", filter=_leads(tab) & condition)
        for tab, condition in [
            ("all", Q()),
            *((b, bias_bucket_q(b, through="source__")) for b in BUCKETS),
        ]
    }


def listed_articles(articles, fields: list[str], tab: str, start: int, stop: int):
    """The query of a page of a story's articles in a tab with copies once, newest first
    (one card a row): the articles leading their copies there, rows start to stop.

    The page is found among the story's links by the dates copied onto them, which their
    index (story, date) serves: ordered by the articles' own dates, PostgreSQL walked every
    article by date looking for the story's (664,000 of them at a million articles, 0.8 s,
    for a story weeks old), or, told to gather the story's leads first, read them all."""
    newest = ("-story_link__published_at", "-story_link__article_id")
    page = articles.filter(_leads(tab)).order_by(*newest).values("pk")[start:stop]
    return (
        Article.objects.filter(pk__in=page)
        .order_by(*newest)
        .values(*fields, "copy_key", "source_id")
    )


def cards_of(rows, story_articles) -> list[ArticleCard]:
    """Cards of the rows of listed_articles(), with the other outlets of each one's copies
    among story_articles, in one query (none for a page of no headlines). The copies are
    looked for in the whole story, so a side's tab names the other sides' outlets too.
    Every other outlet is named: there is one row an outlet, however many copies it ran."""
    keys = [row["copy_key"] for row in rows if row["copy_key"]]
    outlets = outlets_of_copies(story_articles, keys) if keys else {}
    cards = []
    for row in rows:
        others = [o for o in outlets.get(row["copy_key"], ()) if o["source_id"] != row["source_id"]]
        cards.append(replace(card(row), other_copies=_other_copies(others)))
    return cards


def _other_copies(outlets: list[dict]) -> tuple[OtherCopy, ...]:
    return tuple(
        OtherCopy(
            o["source__name"], page_url("source_detail", o["source__slug"]), outbound(o["url"])
        )
        for o in outlets
    )
