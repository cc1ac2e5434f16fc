"""The counters stored on stories equal a fresh count after every kind of write.

The oracle counts the links, articles and sources in Python, independently of the
aggregates stories.counters runs in the database. Every test also names the figures it
expects, so that a test cannot pass by both sides being zero.
"""

import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources.models import Article
from sources.normalize import Entry
from sources.ratings import BUCKETS, Bias
from sources.store import store_entries
from stories import counters, services
from stories.models import Story, StoryArticle, StorySource
from tests.admin.helpers import ARTICLES, action
from tests.api.conftest import token_client
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    FeedFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db

COUNTERS = ("article_count", "source_count", "left_count", "center_count", "right_count")


def recounted(*stories) -> dict[int, tuple]:
    """{story id: (articles, sources, left, center, right)}, counted in Python from the
    links: independent of the database aggregates that stories.counters runs."""
    articles, sources = Counter(), defaultdict(set)
    for link in StoryArticle.objects.filter(story__in=stories).select_related("article__source"):
        articles[link.story_id] += 1
        sources[link.story_id].add(link.article.source)

    def figures(pk):
        buckets = Counter(Bias.bucket_of(source.bias) for source in sources[pk])
        return (articles[pk], len(sources[pk]), *(buckets[bucket] for bucket in BUCKETS))

    return {story.pk: figures(story.pk) for story in stories}


def stored(*stories) -> dict[int, tuple]:
    """{story id: its stored counters}, read from the database."""
    rows = Story.objects.filter(pk__in=[story.pk for story in stories])
    return {pk: tuple(values) for pk, *values in rows.values_list("pk", *COUNTERS)}


def covering(*stories) -> dict[int, set[int]]:
    """{story id: ids of the sources of its articles}, from the links."""
    sources = {story.pk: set() for story in stories}
    for story_id, source_id in StoryArticle.objects.filter(story__in=stories).values_list(
        "story_id", "article__source_id"
    ):
        sources[story_id].add(source_id)
    return sources


def stored_sources(*stories) -> dict[int, set[int]]:
    """{story id: ids of the sources its StorySource rows name}."""
    sources = {story.pk: set() for story in stories}
    for story_id, source_id in StorySource.objects.filter(story__in=stories).values_list(
        "story_id", "source_id"
    ):
        sources[story_id].add(source_id)
    return sources


def assert_counters(expected: dict) -> None:
    """The stored counters of the stories in `expected` ({story: figures}) equal a recount,
    and the recount gives the expected figures; their StorySource rows name the sources
    of their articles."""
    stories = list(expected)
    assert stored(*stories) == recounted(*stories) == {s.pk: expected[s] for s in stories}
    assert stored_sources(*stories) == covering(*stories)
    assert_placed()
    assert_dated()


def assert_dated() -> None:
    """Every link carries its article's date (StoryArticle.published_at)."""
    links = StoryArticle.objects.values_list("published_at", "article__published_at")
    assert [copied for copied, _ in links] == [at for _, at in links]


def assert_placed() -> None:
    """Exactly the articles that a link places are marked as in a story."""
    marked = set(Article.objects.filter(in_story=True).values_list("pk", flat=True))
    assert marked == set(StoryArticle.objects.values_list("article_id", flat=True))


@pytest.fixture
def outlets():
    return {
        "left": SourceFactory(bias=Bias.LEFT),
        "lean_left": SourceFactory(bias=Bias.LEAN_LEFT),
        "center": SourceFactory(bias=Bias.CENTER),
        "right": SourceFactory(bias=Bias.RIGHT),
        "unrated": SourceFactory(bias=None),
    }


def articles_by(*sources):
    return [ArticleFactory(source=source) for source in sources]


def story_updates(queries) -> list[str]:
    table = connection.ops.quote_name(Story._meta.db_table)
    return [q["sql"] for q in queries if q["sql"].startswith(f"UPDATE {table}")]


# --- the story services --------------------------------------------------------------


def test_attaching_counts_articles_sources_and_buckets(outlets):
    story = DraftStoryFactory()
    o = outlets
    services.attach_articles(
        story=story, articles=articles_by(o["left"], o["left"], o["right"], o["unrated"])
    )
    assert_counters({story: (4, 3, 1, 0, 1)})


def test_moving_articles_recounts_the_story_they_leave(outlets):
    old, new = DraftStoryFactory(), DraftStoryFactory()
    moving = articles_by(outlets["left"], outlets["center"])
    services.attach_articles(story=old, articles=[*moving, *articles_by(outlets["right"])])
    services.attach_articles(story=new, articles=moving)
    assert_counters({old: (1, 1, 0, 0, 1), new: (2, 2, 1, 1, 0)})


def test_detaching_recounts_the_story(outlets):
    story = DraftStoryFactory()
    articles = articles_by(outlets["left"], outlets["center"], outlets["right"])
    services.attach_articles(story=story, articles=articles)
    services.detach_articles(story=story, articles=articles[:2])
    assert_counters({story: (1, 1, 0, 0, 1)})


def test_deleting_a_story_returns_its_articles_to_the_inbox(outlets):
    story, other = DraftStoryFactory(), DraftStoryFactory()
    articles = articles_by(outlets["left"], outlets["center"])
    services.attach_articles(story=story, articles=articles)
    services.attach_articles(story=other, articles=articles_by(outlets["right"]))
    story.delete()
    assert not Article.objects.filter(pk__in=[a.pk for a in articles], in_story=True).exists()
    assert_counters({other: (1, 1, 0, 0, 1)})


def test_creating_a_story_with_articles_counts_them(outlets):
    story = services.create_story(
        title="Harbour strike", articles=articles_by(outlets["lean_left"], outlets["center"])
    )
    assert_counters({story: (2, 2, 1, 1, 0)})


def test_attaching_and_detaching_through_the_api(editor, outlets):
    story = StoryFactory(slug="harbour-strike")
    articles = articles_by(outlets["left"], outlets["right"], outlets["right"])
    api = token_client(editor)
    ids = [article.pk for article in articles]
    url = "/api/v1/stories/harbour-strike/articles/"
    assert api.post(f"{url}attach/", {"articles": ids}, format="json").status_code == 200
    assert_counters({story: (3, 2, 1, 0, 1)})
    assert api.post(f"{url}detach/", {"articles": ids[:1]}, format="json").status_code == 200
    assert_counters({story: (2, 1, 0, 0, 1)})


def test_attaching_through_the_admin_action(client, admin_user, outlets):
    client.force_login(admin_user)
    old, new = StoryFactory(), StoryFactory()
    services.attach_articles(story=old, articles=articles_by(outlets["left"], outlets["center"]))
    moved = Article.objects.filter(source=outlets["center"])
    fresh = articles_by(outlets["right"])
    post = action("attach_to_story", [*moved, *fresh], confirm="Confirm", story=new.pk)
    assert client.post(ARTICLES, post).status_code == 302
    assert_counters({old: (1, 1, 1, 0, 0), new: (2, 2, 0, 1, 1)})


# --- saves and deletes outside the services -------------------------------------------


def test_a_link_saved_directly_is_counted(outlets):
    story = StoryFactory()
    StoryArticleFactory(story=story, article=ArticleFactory(source=outlets["right"]))
    StoryArticleFactory(story=story, article=ArticleFactory(source=outlets["unrated"]))
    assert_counters({story: (2, 2, 0, 0, 1)})


def test_moving_a_link_by_saving_it_recounts_both_stories(outlets):
    old, new = StoryFactory(), StoryFactory()
    link = StoryArticleFactory(story=old, article=ArticleFactory(source=outlets["left"]))
    StoryArticleFactory(story=old, article=ArticleFactory(source=outlets["center"]))
    link.story = new
    link.save()
    assert_counters({old: (1, 1, 0, 1, 0), new: (1, 1, 1, 0, 0)})


def test_deleting_an_article_recounts_its_story(outlets):
    story = DraftStoryFactory()
    articles = articles_by(outlets["left"], outlets["right"])
    services.attach_articles(story=story, articles=articles)
    articles[0].delete()
    assert_counters({story: (1, 1, 0, 0, 1)})


def test_deleting_a_source_recounts_every_story_it_covered(outlets):
    first, second = DraftStoryFactory(), DraftStoryFactory()
    o = outlets
    services.attach_articles(story=first, articles=articles_by(o["left"], o["left"], o["center"]))
    services.attach_articles(story=second, articles=articles_by(o["left"], o["right"]))
    o["left"].delete()
    assert_counters({first: (1, 1, 0, 1, 0), second: (1, 1, 0, 0, 1)})


def test_a_cascade_recounts_each_story_once_whatever_the_number_of_links(outlets):
    stories = [DraftStoryFactory(), DraftStoryFactory()]
    for story in stories:
        services.attach_articles(story=story, articles=articles_by(*[outlets["left"]] * 6))
    with CaptureQueriesContext(connection) as queries:
        outlets["left"].delete()
    # One recount of both stories, not one per deleted link.
    assert len(story_updates(queries)) == 1
    assert_counters(dict.fromkeys(stories, (0, 0, 0, 0, 0)))


def test_changing_a_sources_bias_moves_it_to_another_bucket(outlets):
    story = DraftStoryFactory()
    services.attach_articles(
        story=story, articles=articles_by(outlets["left"], outlets["left"], outlets["center"])
    )
    outlets["left"].bias = Bias.LEAN_RIGHT
    outlets["left"].save()
    assert_counters({story: (3, 2, 0, 1, 1)})


def test_unrating_a_source_keeps_it_in_the_total_only(outlets):
    story = DraftStoryFactory()
    services.attach_articles(story=story, articles=articles_by(outlets["left"], outlets["center"]))
    outlets["center"].bias = None
    outlets["center"].save(update_fields=["bias"])
    assert_counters({story: (2, 2, 1, 0, 0)})


def test_saving_a_source_without_changing_its_bias_recounts_nothing(outlets):
    story = DraftStoryFactory()
    services.attach_articles(story=story, articles=articles_by(outlets["left"]))
    outlets["left"].description = "A busy outlet with many stories."
    with CaptureQueriesContext(connection) as queries:
        outlets["left"].save()
    assert story_updates(queries) == []
    assert_counters({story: (1, 1, 1, 0, 0)})


def test_moving_an_article_to_another_source_recounts_its_story(outlets):
    story = DraftStoryFactory()
    articles = articles_by(outlets["left"], outlets["center"])
    services.attach_articles(story=story, articles=articles)
    articles[0].source = outlets["right"]
    articles[0].save()
    assert_counters({story: (2, 2, 0, 1, 1)})


def test_ingesting_an_update_to_an_article_in_a_story_keeps_the_counters(outlets):
    # Ingestion's bulk updates send no model signals and need no recount: they change
    # headlines, summaries and dates, never an article's story or source. This holds it so.
    feed = FeedFactory(source=outlets["left"])
    article = ArticleFactory(source=outlets["left"], feed=feed, guid="harbour-1")
    story = DraftStoryFactory()
    services.attach_articles(story=story, articles=[article, *articles_by(outlets["right"])])
    entry = Entry(
        url=article.url, guid="harbour-1", title="Harbour strike ends", summary="Deal agreed.",
        author="", image_url="", published_at=article.published_at,
    )  # fmt: skip
    assert store_entries(feed, [entry], now=timezone.now())[1] == 1
    assert Article.objects.get(pk=article.pk).title == "Harbour strike ends"
    assert_counters({story: (2, 2, 1, 0, 1)})


def test_changing_an_articles_date_moves_its_link_date(outlets):
    story = DraftStoryFactory()
    articles = articles_by(outlets["left"], outlets["right"])
    services.attach_articles(story=story, articles=articles)
    articles[0].published_at -= timedelta(days=2)
    articles[0].save()
    assert StoryArticle.objects.get(article=articles[0]).published_at == articles[0].published_at
    assert_counters({story: (2, 2, 1, 0, 1)})


def test_ingesting_a_new_date_for_an_article_in_a_story_moves_its_link_date(
    outlets, django_capture_on_commit_callbacks
):
    feed = FeedFactory(source=outlets["left"])
    article = ArticleFactory(source=outlets["left"], feed=feed, guid="harbour-2")
    story = DraftStoryFactory()
    services.attach_articles(story=story, articles=[article])
    corrected = article.published_at - timedelta(hours=5)
    entry = Entry(
        url=article.url, guid="harbour-2", title=article.title, summary=article.summary,
        author="", image_url="", published_at=corrected,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert store_entries(feed, [entry], now=timezone.now())[1] == 1
    assert StoryArticle.objects.get(article=article).published_at == corrected
    assert_counters({story: (1, 1, 1, 0, 0)})


# --- repair --------------------------------------------------------------------------


def corrupt(story, **wrong) -> None:
    """Write counters behind the application's back, as a crash between writes could leave."""
    table = connection.ops.quote_name(Story._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in wrong)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 (names are ours)
            [*wrong.values(), story.pk],
        )


@pytest.fixture
def three_stories(outlets):
    stories = [DraftStoryFactory(slug=f"harbour-{n}") for n in range(3)]
    for story in stories:
        services.attach_articles(story=story, articles=articles_by(outlets["left"]))
    corrupt(stories[0], article_count=7)
    corrupt(stories[1], source_count=0, left_count=0, right_count=4)
    return stories


def test_the_recount_command_repairs_counters_and_says_how_many(three_stories):
    assert stored(*three_stories) != recounted(*three_stories)
    out = StringIO()
    call_command("recount_stories", stdout=out)
    assert out.getvalue().splitlines() == [
        "Recounted 3 stories: corrected 2, 1 already right.",
        "Every article is marked in or out of a story rightly.",
    ]
    assert_counters(dict.fromkeys(three_stories, (1, 1, 1, 0, 0)))
    call_command("recount_stories", stdout=out)
    assert out.getvalue().splitlines()[-2] == "Recounted 3 stories: corrected 0, 3 already right."


def test_the_recount_command_repairs_which_articles_are_in_a_story(three_stories, outlets):
    placed = StoryArticle.objects.filter(story=three_stories[0]).values_list("article_id")
    Article.objects.filter(pk__in=placed).update(in_story=False)
    loose = ArticleFactory(source=outlets["center"])
    Article.objects.filter(pk=loose.pk).update(in_story=True)
    out = StringIO()
    call_command("recount_stories", stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "Articles marked in or out of a story wrongly: 2, corrected."
    )
    assert_placed()


def test_the_recount_command_repairs_the_dates_copied_onto_links(three_stories):
    story = three_stories[1]
    StoryArticle.objects.filter(story=story).update(published_at=None)
    StoryArticle.objects.filter(story=three_stories[2]).update(published_at=timezone.now())
    out = StringIO()
    call_command("recount_stories", stdout=out)
    # The first two had wrong counters as well; the third only a wrong date.
    assert out.getvalue().splitlines()[0] == "Recounted 3 stories: corrected 3, 0 already right."
    assert_dated()


def test_the_recount_command_repairs_the_sources_covering_a_story(three_stories, outlets):
    story = three_stories[2]
    StorySource.objects.filter(story=story).delete()
    StorySource.objects.create(story=story, source=outlets["right"])
    out = StringIO()
    call_command("recount_stories", "--story", story.slug, stdout=out)
    assert out.getvalue().strip() == "Recounted 1 story: corrected 1, 0 already right."
    assert stored_sources(story) == {story.pk: {outlets["left"].pk}}


def test_the_recount_command_recounts_only_the_stories_named(three_stories):
    out = StringIO()
    call_command("recount_stories", "--story", "harbour-1", stdout=out)
    assert out.getvalue().strip() == "Recounted 1 story: corrected 1, 0 already right."
    assert stored(three_stories[0])[three_stories[0].pk][0] == 7  # left as it was
    assert_counters(dict.fromkeys(three_stories[1:], (1, 1, 1, 0, 0)))


def test_the_recount_command_names_unknown_stories(three_stories):
    with pytest.raises(CommandError, match="No story with slug no-such-story"):
        call_command("recount_stories", "--story", "harbour-0", "no-such-story")


def test_recounting_every_story_goes_batch_by_batch(monkeypatch, outlets):
    monkeypatch.setattr(counters, "BATCH_SIZE", 2)
    stories = [DraftStoryFactory() for _ in range(5)]
    for story in stories:
        services.attach_articles(story=story, articles=articles_by(outlets["center"]))
    Story.objects.update(article_count=9)
    with CaptureQueriesContext(connection) as queries:
        assert counters.recount_stories() == 5
    assert len(story_updates(queries)) == 3
    assert_counters(dict.fromkeys(stories, (1, 1, 0, 1, 0)))


# --- two writers at once ----------------------------------------------------------------


def in_thread(job):
    """Run job, then close the thread's own database connection."""
    try:
        job()
    finally:
        connection.close()


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_recount_waiting_for_another_writer_counts_what_it_committed(outlets):
    """One editor attaches an article; meanwhile another link to the story is saved, and its
    recount waits for the first transaction. The recount must count both links."""
    story = DraftStoryFactory()
    first, second = articles_by(outlets["left"], outlets["right"])
    attached, release = threading.Event(), threading.Event()

    def attach_and_hold():
        with transaction.atomic():
            services.attach_articles(story=story, articles=[first])
            attached.set()
            release.wait(10)

    def save_a_link():
        attached.wait(10)
        StoryArticle.objects.create(story=story, article=second)

    threads = [
        threading.Thread(target=in_thread, args=(job,)) for job in (attach_and_hold, save_a_link)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while not waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    release.set()
    for thread in threads:
        thread.join(20)
    close_old_connections()
    assert_counters({story: (2, 2, 1, 0, 1)})
