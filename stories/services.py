"""Every write to stories goes through these functions, from the admin and the API alike."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from sources.models import Article

from .counters import recount_stories
from .models import KeyPoint, Story, StoryArticle, StoryRedirect
from .placement import mark_placed
from .search_text import refresh_search_text
from .signals import coverage_changed, stories_merged

# Editors decided: a story goes public only with something to read and something
# to compare, so publishing needs at least one key point and one article.
PUBLISH_NEEDS = (
    "A story can be published only with at least one key point and one article; "
    "keep it as a draft until it has both."
)


def publish_problems(*, key_points: int, articles: int) -> list[str]:
    """What keeps a story with these counts from being published ([] if nothing)."""
    problems = []
    if key_points < 1:
        problems.append("it has no key points")
    if articles < 1:
        problems.append("it has no articles")
    return problems


@transaction.atomic
def publish_story(*, story: Story, at=None) -> Story:
    """Publish a story; raise ValidationError when it has no key points or no articles."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    problems = publish_problems(
        key_points=story.key_points.count(), articles=story.story_articles.count()
    )
    if problems:
        raise ValidationError(f"“{story.title}” cannot be published: {' and '.join(problems)}.")
    if not story.is_published:
        story.status = Story.Status.PUBLISHED
        story.published_at = story.published_at or at or timezone.now()
        story.save(update_fields=["status", "published_at", "updated_at"])
    return story


@transaction.atomic
def unpublish_story(*, story: Story) -> Story:
    """Take a story back to draft; its publication date is kept for a later re-publish."""
    if story.is_published:
        story.status = Story.Status.DRAFT
        story.save(update_fields=["status", "updated_at"])
    return story


def unique_slug(title: str, *, exclude_pk=None) -> str:
    """A slug for the title that no other story uses yet."""
    base = slugify(title)[:180] or "story"
    slug, n = base, 2
    taken = Story.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def attach_articles(*, story: Story, articles: Iterable[Article], by=None) -> int:
    """Move articles into the story (from no story or another one); return how many moved."""
    ids = [article.pk for article in articles]
    moved = StoryArticle.objects.filter(article_id__in=ids).exclude(story=story)
    previous_story_ids = list(moved.values_list("story_id", flat=True).distinct())
    count = moved.update(story=story, added_by=by, added_at=timezone.now())
    already = set(
        StoryArticle.objects.filter(article_id__in=ids).values_list("article_id", flat=True)
    )
    # The links carry their articles' dates from the start, so the recount finds them right.
    dates = dict(
        Article.objects.filter(pk__in=[pk for pk in ids if pk not in already]).values_list(
            "pk", "published_at"
        )
    )
    new_links = [
        StoryArticle(story=story, article_id=pk, added_by=by, published_at=at)
        for pk, at in dates.items()
    ]
    StoryArticle.objects.bulk_create(new_links, ignore_conflicts=True)
    mark_placed(link.article_id for link in new_links)
    touched = [story.pk, *previous_story_ids]
    Story.objects.filter(pk__in=touched).update(updated_at=timezone.now())
    recount_stories(touched)
    coverage_changed.send(sender=Story, story_ids=touched)
    return count + len(new_links)


@transaction.atomic
def detach_articles(*, story: Story, articles: Iterable[Article]) -> int:
    """Take articles out of the story; they wait in the inbox again."""
    # Deleting the links recounts the story (stories.signal_handlers), as any deletion does.
    deleted, _ = StoryArticle.objects.filter(
        story=story, article_id__in=[article.pk for article in articles]
    ).delete()
    Story.objects.filter(pk=story.pk).update(updated_at=timezone.now())
    coverage_changed.send(sender=Story, story_ids=[story.pk])
    return deleted


@transaction.atomic
def create_story(
    *,
    title: str,
    articles: Iterable[Article] = (),
    key_points: Iterable[str] = (),
    by=None,
    slug: str | None = None,
) -> Story:
    """Create a draft story, optionally with articles and key points; the slug defaults
    to one made from the title."""
    story = Story(title=title.strip(), slug=slug or unique_slug(title), created_by=by)
    story.full_clean()
    story.save()
    set_key_points(story=story, texts=key_points)
    attach_articles(story=story, articles=articles, by=by)
    return story


@transaction.atomic
def set_key_points(*, story: Story, texts: Iterable[str]) -> list[KeyPoint]:
    """Replace the story's key points with these texts, in this order."""
    points = [
        KeyPoint(story=story, position=i, text=text.strip())
        for i, text in enumerate(texts)
        if text.strip()
    ]
    for point in points:
        point.full_clean(exclude=["story"])
    story.key_points.all().delete()
    created = KeyPoint.objects.bulk_create(points)
    refresh_search_text([story.pk])
    coverage_changed.send(sender=Story, story_ids=[story.pk])
    return created


@transaction.atomic
def move_key_point(*, story: Story, point_id: int, up: bool) -> bool:
    """Swap a key point with the one before (up) or after it; False if it is not the story's.

    The points are numbered afresh from 0, so equal positions left by older edits
    cannot keep two points from changing places.
    """
    points = list(story.key_points.select_for_update().order_by("position", "id"))
    index = next((i for i, point in enumerate(points) if point.pk == point_id), None)
    if index is None:
        return False
    other = index - 1 if up else index + 1
    if 0 <= other < len(points):
        points[index], points[other] = points[other], points[index]
    for position, point in enumerate(points):
        point.position = position
    KeyPoint.objects.bulk_update(points, ["position"])
    refresh_search_text([story.pk])
    coverage_changed.send(sender=Story, story_ids=[story.pk])
    return True


@transaction.atomic
def update_story(
    *, story: Story, title: str | None = None, slug: str | None = None, key_points=None
) -> Story:
    """Change what is given of title, slug and key points; the slug never follows the
    title by itself, so published links keep working."""
    if title is not None:
        story.title = title.strip()
    if slug is not None:
        story.slug = slug
    story.full_clean()
    story.save()
    if key_points is not None:
        set_key_points(story=story, texts=key_points)
    return story


@transaction.atomic
def merge_stories(*, survivor: Story, absorbed: Story, by=None) -> Story:
    """Move every article and key point of `absorbed` into `survivor`, delete `absorbed`,
    and keep its slug as a redirect to `survivor`; return the survivor.

    The absorbed story's key points follow the survivor's, in their order; its topics
    are added to the survivor's; its perspectives go with it. Apps with rows of their own
    about it (readers' saves and reads) move them on `stories_merged`, sent before the
    deletion.
    """
    if survivor.pk == absorbed.pk:
        raise ValidationError(f"“{survivor}” cannot be merged into itself.")
    # Locked in id order, as the recount locks them, so two merges cannot deadlock.
    locked = Story.objects.select_for_update().filter(pk__in=[survivor.pk, absorbed.pk])
    found = {story.pk: story for story in locked.order_by("pk")}
    if len(found) < 2:
        raise ValidationError(
            f"“{survivor}” or “{absorbed}” was deleted meanwhile; nothing was merged."
        )
    survivor, absorbed = found[survivor.pk], found[absorbed.pk]
    _append_key_points(survivor=survivor, absorbed=absorbed)
    survivor.topics.add(*absorbed.topics.all())
    moving = Article.objects.filter(story_link__story=absorbed).only("pk")
    attach_articles(story=survivor, articles=moving, by=by)
    # Slugs that led to the absorbed story now lead to the survivor, directly.
    StoryRedirect.objects.filter(story=absorbed).update(story=survivor)
    StoryRedirect.objects.update_or_create(old_slug=absorbed.slug, defaults={"story": survivor})
    stories_merged.send(sender=Story, survivor=survivor, absorbed=absorbed)
    absorbed_pk = absorbed.pk
    absorbed.delete()
    coverage_changed.send(sender=Story, story_ids=[survivor.pk, absorbed_pk])
    return survivor


def _append_key_points(*, survivor: Story, absorbed: Story) -> None:
    """Give the absorbed story's key points to the survivor, after its own, in order."""
    last = survivor.key_points.aggregate(last=Max("position"))["last"]
    points = list(absorbed.key_points.order_by("position", "id"))
    start = 0 if last is None else last + 1
    for offset, point in enumerate(points):
        point.story, point.position = survivor, start + offset
    KeyPoint.objects.bulk_update(points, ["story", "position"])
    refresh_search_text([survivor.pk])


@transaction.atomic
def split_story(*, story: Story, articles: Iterable[Article], title: str, by=None) -> Story:
    """Move these articles of `story` into a new draft story with this title; return it.

    Every article must be in `story`. All of them may go: the story is then left empty,
    as detaching its last article would leave it.
    """
    ids = {article.pk for article in articles}
    if not ids:
        raise ValidationError("Pick at least one article to split off.")
    if not Story.objects.select_for_update().filter(pk=story.pk).exists():
        raise ValidationError(f"“{story}” was deleted meanwhile; nothing was split.")
    inside = StoryArticle.objects.filter(story=story, article_id__in=ids)
    strays = len(ids) - inside.count()
    if strays:
        raise ValidationError(
            f"{strays} of the selected articles {'is' if strays == 1 else 'are'} not in "
            f"“{story}”; split articles of one story at a time."
        )
    return create_story(title=title, articles=Article.objects.filter(pk__in=ids), by=by)
