"""Automatic attachment above NEWSROOM_DESK_AUTO_ATTACH_SCORE, and an editor's undo of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk import tasks
from desk.auto_attach import auto_attach
from desk.models import AutoAttachment, Suggestion
from newsroom.env import env_float
from sources.models import Article
from stories.models import StoryArticle
from stories.services import attach_articles, unpublish_story
from tests.clients import logged_in
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now()
INBOX = reverse("admin:desk_suggestion_changelist")


@pytest.fixture
def threshold(settings):
    settings.NEWSROOM_DESK_AUTO_ATTACH_SCORE = 0.8
    return 0.8


def suggested(story, score, article=None):
    article = article or ArticleFactory(title="Senate grid bill heads to the president")
    return Suggestion.objects.create(article=article, story=story, score=score, reason="grid")


def story_of(article):
    link = StoryArticle.objects.filter(article=article).first()
    return link and link.story


def undo_url(record):
    return reverse("admin:desk_autoattachment_undo", args=[record.pk])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_best_story_at_the_threshold_receives_the_article(threshold):
    grid, other = StoryFactory(title="Grid bill"), StoryFactory()
    best = suggested(grid, 0.8)
    suggested(other, 0.79, article=best.article)
    assert auto_attach([best.article.pk]) == 1
    assert story_of(best.article) == grid
    record = AutoAttachment.objects.get()
    assert (record.article, record.story, record.score) == (best.article, grid, 0.8)
    assert Article.objects.get(pk=best.article.pk).in_story


def test_below_the_threshold_nothing_is_attached(threshold):
    suggestion = suggested(StoryFactory(), 0.79)
    assert auto_attach([suggestion.article.pk]) == 0
    assert story_of(suggestion.article) is None and not AutoAttachment.objects.exists()


@pytest.mark.parametrize("unset", [0, 0.0])
def test_threshold_unset_never_attaches(settings, unset):
    settings.NEWSROOM_DESK_AUTO_ATTACH_SCORE = unset
    suggestion = suggested(StoryFactory(), 1.0)
    assert auto_attach([suggestion.article.pk]) == 0
    assert story_of(suggestion.article) is None


def test_the_setting_reads_a_number_and_is_off_when_unset(monkeypatch):
    monkeypatch.delenv("NEWSROOM_DESK_AUTO_ATTACH_SCORE", raising=False)
    assert env_float("NEWSROOM_DESK_AUTO_ATTACH_SCORE", 0) == 0
    monkeypatch.setenv("NEWSROOM_DESK_AUTO_ATTACH_SCORE", "0.75")
    assert env_float("NEWSROOM_DESK_AUTO_ATTACH_SCORE", 0) == 0.75
    monkeypatch.setenv("NEWSROOM_DESK_AUTO_ATTACH_SCORE", "high")
    with pytest.raises(ImproperlyConfigured, match="is not a number"):
        env_float("NEWSROOM_DESK_AUTO_ATTACH_SCORE", 0)


def test_a_never_published_draft_receives_the_article(threshold):
    draft = DraftStoryFactory()
    suggestion = suggested(draft, 0.9)
    auto_attach([suggestion.article.pk])
    assert story_of(suggestion.article) == draft


def test_a_story_unpublished_by_an_editor_receives_nothing(threshold):
    grid, other = StoryFactory(title="Grid bill"), StoryFactory()
    unpublish_story(story=grid)
    best = suggested(grid, 0.95)
    suggested(other, 0.9, article=best.article)
    assert auto_attach([best.article.pk]) == 0
    assert story_of(best.article) is None and not AutoAttachment.objects.exists()


def test_a_story_deleted_before_the_task_runs_receives_nothing(threshold):
    grid = StoryFactory()
    suggestion = suggested(grid, 0.95)
    grid.delete()
    assert auto_attach([suggestion.article.pk]) == 0
    assert story_of(suggestion.article) is None and not AutoAttachment.objects.exists()


def test_an_article_filed_meanwhile_is_left_where_it_is(threshold):
    grid, elsewhere = StoryFactory(), StoryFactory()
    suggestion = suggested(grid, 0.95)
    attach_articles(story=elsewhere, articles=[suggestion.article])
    assert auto_attach([suggestion.article.pk]) == 0
    assert story_of(suggestion.article) == elsewhere


def test_the_task_files_what_the_engine_scores_high(settings):
    settings.NEWSROOM_DESK_AUTO_ATTACH_SCORE = 0.01
    grid = StoryFactory(title="Grid bill")
    for title, minutes in [
        ("Senate passes grid bill on transmission lines", 50),
        ("Grid bill: Senate votes for new transmission", 40),
    ]:
        article = ArticleFactory(
            title=title, source=SourceFactory(), published_at=NOW - timedelta(minutes=minutes)
        )
        StoryArticleFactory(story=grid, article=article)
    article = ArticleFactory(title="Senate grid bill heads to the president", published_at=NOW)
    tasks.suggest_stories([article.pk])
    assert story_of(article) == grid
    assert AutoAttachment.objects.get().score >= 0.01


def test_ten_thousand_ids_are_filed_in_bounded_chunks(threshold, monkeypatch):
    grid = StoryFactory()
    real = [suggested(grid, 0.9).article.pk for _ in range(3)]
    chunks = []
    monkeypatch.setattr(tasks, "suggest_for", lambda articles: [])
    monkeypatch.setattr(
        tasks, "auto_attach", lambda ids: chunks.append(len(ids)) or auto_attach(ids)
    )
    tasks.suggest_stories([*real, *range(10**9, 10**9 + 9_997)])
    assert max(chunks) <= tasks.SUGGEST_BATCH
    assert StoryArticle.objects.filter(story=grid).count() == 3


def queries_of_auto_attach(ids) -> int:
    with CaptureQueriesContext(connection) as queries:
        auto_attach(ids)
    return len(queries)


def test_a_chunk_costs_the_same_queries_for_more_articles(threshold):
    grid = StoryFactory()
    few = queries_of_auto_attach([suggested(grid, 0.9).article.pk for _ in range(2)])
    many = [suggested(grid, 0.9).article.pk for _ in range(12)]
    assert queries_of_auto_attach([*many, *range(10**9, 10**9 + 186)]) == few


@pytest.fixture
def filed(threshold):
    grid = StoryFactory(title="Grid bill")
    suggestion = suggested(grid, 0.9)
    suggested(StoryFactory(title="Energy week"), 0.5, article=suggestion.article)
    auto_attach([suggestion.article.pk])
    return AutoAttachment.objects.get()


def test_the_inbox_lists_automatic_attachments_with_undo(editor, filed):
    page = logged_in(editor).get(INBOX).content.decode()
    assert "Filed automatically" in page and undo_url(filed) in page
    assert "Grid bill" in page


def test_undo_takes_the_article_out_and_it_is_not_filed_there_again(editor, filed):
    response = logged_in(editor).post(undo_url(filed), {"p": "1"}, follow=True)
    assert "it will not be filed there again" in messages_of(response)
    assert story_of(filed.article) is None
    assert AutoAttachment.objects.get().undone_at is not None
    assert Suggestion.objects.get(article=filed.article, story=filed.story).dismissed_at
    page = response.content.decode()
    assert "Senate grid bill heads to the president" in page and "Energy week" in page
    assert auto_attach([filed.article.pk]) == 0
    assert story_of(filed.article) is None


def test_undo_twice_changes_nothing_the_second_time(editor, filed):
    client = logged_in(editor)
    client.post(undo_url(filed))
    attach_articles(story=filed.story, articles=[filed.article])  # an editor puts it back
    response = client.post(undo_url(filed), follow=True)
    assert "undone already" in messages_of(response)
    assert story_of(filed.article) == filed.story


def test_undo_after_an_editor_moved_the_article_changes_nothing(editor, filed):
    elsewhere = StoryFactory(title="Power cuts")
    attach_articles(story=elsewhere, articles=[filed.article])
    response = logged_in(editor).post(undo_url(filed), follow=True)
    assert "no longer in “Grid bill”" in messages_of(response)
    assert story_of(filed.article) == elsewhere
    assert AutoAttachment.objects.get().undone_at is None


def test_undo_after_the_story_was_deleted_says_so(editor, filed):
    filed.story.delete()
    response = logged_in(editor).post(undo_url(filed), follow=True)
    assert "undone already or its story deleted" in messages_of(response)


def test_undo_needs_a_post_and_the_csrf_token(editor, filed):
    assert logged_in(editor).get(undo_url(filed)).status_code == 405
    assert logged_in(editor, enforce_csrf_checks=True).post(undo_url(filed)).status_code == 403
    assert story_of(filed.article) == filed.story
