"""A merge keeps what the desk knows of the absorbed story (desk/merge_handlers.py)."""

import pytest
from django.utils import timezone

from desk.auto_attach import auto_attach, undo_auto_attachment
from desk.models import AutoAttachment, Suggestion
from stories.models import StoryArticle
from stories.services import merge_stories
from tests.factories import ArticleFactory, SourceFactory, StoryFactory, attach

pytestmark = pytest.mark.django_db


def suggest(article, story, score=0.5, dismissed=False):
    return Suggestion.objects.create(
        article=article,
        story=story,
        score=score,
        reason="grid",
        dismissed_at=timezone.now() if dismissed else None,
    )


def test_waiting_suggestions_of_the_absorbed_story_now_suggest_the_survivor():
    survivor, absorbed = StoryFactory(title="Grid bill"), StoryFactory(title="Grid vote")
    waiting, both, turned_down = ArticleFactory.create_batch(3)
    suggest(waiting, absorbed)
    suggest(both, absorbed, score=0.9)
    suggest(both, survivor, score=0.4)
    suggest(turned_down, absorbed, dismissed=True)
    merge_stories(survivor=survivor, absorbed=absorbed)
    rows = {
        (s.article_id, s.story_id, s.score, s.dismissed_at is None)
        for s in Suggestion.objects.all()
    }
    assert rows == {(waiting.pk, survivor.pk, 0.5, True), (both.pk, survivor.pk, 0.4, True)}


def test_an_automatic_attachment_to_the_absorbed_story_can_still_be_undone(settings):
    settings.NEWSROOM_DESK_AUTO_ATTACH_SCORE = 0.8
    survivor, absorbed = StoryFactory(title="Grid bill"), StoryFactory(title="Grid vote")
    attach(survivor, SourceFactory())
    article = ArticleFactory(title="Senate grid bill heads to the president")
    suggest(article, absorbed, score=0.9)
    assert auto_attach([article.pk]) == 1
    merge_stories(survivor=survivor, absorbed=absorbed)
    record = AutoAttachment.objects.get()
    assert record.story == survivor
    undo_auto_attachment(pk=record.pk)
    assert not StoryArticle.objects.filter(article=article).exists()
