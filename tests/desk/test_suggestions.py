"""`desk.suggestions.suggest_for`: the engine fed from the database window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk import engine_state
from desk.engine.model import Tuning
from desk.suggestions import suggest_for
from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, StoryFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def filed(story, title: str, minutes_ago: float, source=None):
    article = ArticleFactory(
        title=title,
        source=source or SourceFactory(),
        published_at=NOW - timedelta(minutes=minutes_ago),
    )
    StoryArticleFactory(story=story, article=article)
    return article


def unfiled(title: str, minutes_ago: float = 0, source=None):
    return ArticleFactory(
        title=title,
        source=source or SourceFactory(),
        published_at=NOW - timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def grid_and_zoo():
    grid, zoo = StoryFactory(title="Grid bill"), StoryFactory(title="Pandas")
    filed(grid, "Senate passes grid bill on transmission lines", 50)
    filed(grid, "Grid bill: Senate votes for new transmission", 40)
    filed(zoo, "Zoo welcomes twin panda cubs", 30)
    return grid, zoo


def test_a_new_article_is_suggested_the_story_that_shares_its_words(grid_and_zoo):
    grid, _ = grid_and_zoo
    article = unfiled("Transmission grid bill clears the Senate")

    (found,) = suggest_for([article])

    assert found.article == article
    assert found.stories[0].story == grid
    assert found.stories[0].reason.startswith("shares: ")
    assert "2 of its 2 articles within 6 h" in found.stories[0].reason
    assert found.proposal == []


def test_articles_in_no_story_from_two_outlets_are_proposed_as_a_new_story(
    grid_and_zoo, django_assert_num_queries
):
    one, two = SourceFactory(), SourceFactory()
    first = unfiled("Volcano erupts near island village", 20, one)
    second = unfiled("Island village evacuated as volcano erupts", 10, two)
    third = unfiled("Volcano eruption forces island evacuation", 0, one)

    # The engine's version, the newest date, the highest ids (articles, links), the
    # window: the process builds its engine. Then the stories, the proposed articles.
    with django_assert_num_queries(7):
        (found,) = suggest_for([third])

    assert found.proposal == [first, second, third]
    assert found.proposal_reason.startswith("3 articles from 2 outlets")
    fourth = unfiled("Island volcano: evacuation continues", 0, two)
    # Kept: the version, what is new (articles, links), the stories, the proposed articles.
    with django_assert_num_queries(5):
        (found,) = suggest_for([fourth])
    assert found.proposal == [first, second, third, fourth]


def test_articles_older_than_the_window_are_not_suggested():
    old = StoryFactory(title="Old bridge story")
    filed(old, "Harbour bridge closed after ship strike", 80 * 60)
    article = unfiled("Harbour bridge closed after ship strike")

    (found,) = suggest_for([article])

    assert found.stories == []


def test_several_articles_are_answered_in_time_order(grid_and_zoo):
    later = unfiled("Panda cubs at the zoo named", 0)
    earlier = unfiled("Senate grid bill heads to the president", 5)

    answers = suggest_for([later, earlier])

    assert [a.article for a in answers] == [earlier, later]
    assert [a.stories[0].story.title for a in answers] == ["Grid bill", "Pandas"]


def test_nothing_to_place_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert suggest_for([]) == []


@pytest.mark.parametrize("older_articles", [5, 60])
def test_suggestions_cost_four_queries_whatever_the_window_and_archive_hold(
    django_assert_num_queries, grid_and_zoo, older_articles
):
    grid, _ = grid_and_zoo
    archive = StoryFactory(title="Archive")
    for n in range(older_articles):
        filed(grid, f"Grid bill transmission update {n}", 45 - n * 0.5)
        filed(archive, f"Grid bill archive {n}", 100 * 60 + n)  # outside the window
    sources = [SourceFactory(), SourceFactory()]
    for n in range(3):
        unfiled(f"Volcano erupts near island village {n}", 5 + n, sources[n % 2])
    article = unfiled("Transmission grid bill clears the Senate")

    suggest_for([unfiled("Zoo keepers name the panda cubs", 1)])  # the engine is built
    # The version; the articles and links new since; the suggested stories. (A proposal's
    # articles would be a fifth.)
    with django_assert_num_queries(4):
        (found,) = suggest_for([article])

    assert found.stories[0].story == grid
    assert archive not in [s.story for s in found.stories]


def test_ten_thousand_articles_in_one_batch_are_all_answered_within_the_bounds():
    """A flood (a feed dump, a re-import): every article gets its answer, the engine
    holds no more than its cap, and a proposal lists at most its newest 20 articles."""
    sources = [SourceFactory() for _ in range(5)]
    Article = ArticleFactory._meta.model
    Article.objects.bulk_create(
        Article(
            source=sources[n % 5],
            url=f"https://flood.example/{n}",
            title=f"Market update {n % 50}: shares rise",
            published_at=NOW - timedelta(seconds=n),
        )
        for n in range(10_000)
    )
    flood = list(Article.objects.filter(url__startswith="https://flood.example/"))

    answers = suggest_for(flood, tuning=Tuning(max_articles=2_000, postings_scanned=50))

    assert len(answers) == 10_000
    assert all(len(a.stories) <= 3 and len(a.proposal) <= 20 for a in answers)
    # The engine held no more than its cap: the proposal counts what it holds.
    held = engine_state.peek().engine.window.articles
    assert len(held) == 2_000
    by_id = {answer.article.pk: answer for answer in answers}
    assert by_id[max(held)].proposal_reason.startswith("2000 articles from 5 outlets")
