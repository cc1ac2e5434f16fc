"""What lists show of articles and stories: small frozen shapes built from query rows.

Factuality values reach a card only when the caller passes with_factuality=
may_see_factuality(user); templates get these shapes, never model instances.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.core.files.storage import default_storage
from django.urls import get_script_prefix, reverse
from django.utils.text import Truncator

from sources.monogram import monogram
from sources.ratings import Bias, Factuality
from stories.coverage import BiasSplit, split_of
from stories.models import Story

from .templatetags.newsroom_site import outbound

SNIPPET_CHARACTERS = 300


@dataclass(frozen=True)
class Rating:
    """A factuality level as shown to premium readers."""

    value: int
    label: str


@dataclass(frozen=True)
class StoryRef:
    title: str
    slug: str
    url: str = ""


@dataclass(frozen=True)
class OutletMark:
    """What stands beside an outlet's name: its logo if it has one, else its monogram."""

    logo_url: str
    initials: str
    colour: int


@dataclass(frozen=True)
class Picture:
    """A story's picture on its teaser: one article's thumbnail, credited to its outlet."""

    url: str
    source_name: str
    mark: OutletMark


@dataclass(frozen=True)
class OtherCopy:
    """Another outlet's copy of a card's text (sources/copies.py)."""

    source_name: str
    source_url: str
    link: str  # the copy's URL if it is safe to link to, else ""


@dataclass(frozen=True)
class ArticleCard:
    title: str
    url: str
    summary: str
    published_at: datetime
    source_name: str
    source_slug: str
    bias_label: str
    bias_bucket: str | None
    factuality: Rating | None = None
    story: StoryRef | None = None
    # Worked out once here rather than by template tags for every card of every page.
    source_url: str = ""
    link: str = ""  # the article's URL if it is safe to link to (http or https), else ""
    snippet: str = ""  # the summary, shortened to SNIPPET_CHARACTERS
    # Our own copies only (sources/thumbnails.py): never the outlet's image URL.
    thumbnail_url: str = ""
    mark: OutletMark | None = None
    # The other outlets that published a copy of this text, when the list shows it once.
    other_copies: tuple[OtherCopy, ...] = ()


@dataclass(frozen=True)
class StoryTeaser:
    """A story in a list: its counts and bias split, and any blindspot sides."""

    title: str
    slug: str
    published_at: datetime
    article_count: int
    source_count: int
    bias: BiasSplit
    blindspots: tuple[str, ...] = ()
    picture: Picture | None = None


def rating(value: int | None) -> Rating | None:
    return None if value is None else Rating(value, Factuality(value).label)


def ratings_of(row: dict, prefix: str = "") -> dict:
    """The bias label and bucket, and the factuality when the row has it, of the source in
    a row of values() (its columns named with `prefix`, e.g. "source__")."""
    bias = row[f"{prefix}bias"]
    return {
        "bias_label": Bias.label_of(bias),
        "bias_bucket": Bias.bucket_of(bias),
        "factuality": rating(row.get(f"{prefix}factuality")),
    }


def media_url(name: str) -> str:
    """The address of a stored picture (thumbnail or logo), or "" for none."""
    return default_storage.url(name) if name else ""


def outlet_mark(name: str, logo: str) -> OutletMark:
    initials, colour = monogram(name)
    return OutletMark(media_url(logo), initials, colour)


def card_fields(with_factuality: bool, with_story: bool = False) -> list[str]:
    fields = ["title", "url", "summary", "published_at", "source__name", "source__slug"]
    fields += ["source__bias", "thumbnail", "source__logo"]
    if with_factuality:
        fields.append("source__factuality")
    if with_story:
        fields += [
            "story_link__story__title",
            "story_link__story__slug",
            "story_link__story__status",
            "story_link__story__published_at",
        ]
    return fields


def page_url(name: str, slug: str) -> str:
    """The path of a page named in web/urls.py (e.g. "story_detail") for a slug.

    Reversing costs more than rendering a card; slugs repeat from page to page.
    """
    return _page_url(get_script_prefix(), name, slug)


@lru_cache(maxsize=8192)
def _page_url(prefix: str, name: str, slug: str) -> str:
    return reverse(name, args=[slug])


def card(row: dict, now: datetime | None = None) -> ArticleCard:
    story = None
    if row.get("story_link__story__slug") and Story.shows_publicly(
        row["story_link__story__status"], row["story_link__story__published_at"], now
    ):
        slug = row["story_link__story__slug"]
        story = StoryRef(row["story_link__story__title"], slug, page_url("story_detail", slug))
    summary = row["summary"]
    return ArticleCard(
        **{column: row[column] for column in ("title", "url", "summary", "published_at")},
        source_name=row["source__name"],
        source_slug=row["source__slug"],
        **ratings_of(row, "source__"),
        story=story,
        source_url=page_url("source_detail", row["source__slug"]),
        link=outbound(row["url"]),
        snippet=Truncator(summary).chars(SNIPPET_CHARACTERS) if summary else "",
        thumbnail_url=media_url(row["thumbnail"]),
        mark=outlet_mark(row["source__name"], row["source__logo"]),
    )


def picture_of(story) -> Picture | None:
    """The picture of a story annotated by Story.objects.with_picture(), if it has one."""
    if not getattr(story, "picture", None):
        return None
    name = story.picture_source_name
    return Picture(media_url(story.picture), name, outlet_mark(name, story.picture_source_logo))


def teasers(stories) -> list[StoryTeaser]:
    """StoryTeasers from stories, with their stored counters (and optionally blind_*)."""
    return [
        StoryTeaser(
            title=story.title,
            slug=story.slug,
            published_at=story.published_at,
            article_count=story.article_count,
            source_count=story.source_count,
            bias=split_of(story),
            blindspots=tuple(
                side for side in ("left", "right") if getattr(story, f"blind_{side}", False)
            ),
            picture=picture_of(story),
        )
        for story in stories
    ]


def teasers_for_ids(ids: list[int]) -> list[StoryTeaser]:
    """Teasers of just these stories (one query), in the order of ids."""
    if not ids:
        return []
    by_id = Story.objects.with_picture().in_bulk(ids)
    return teasers(by_id[pk] for pk in ids if pk in by_id)
