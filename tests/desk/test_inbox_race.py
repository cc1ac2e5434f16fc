"""Two editors accepting different stories for one article at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from desk.models import Suggestion
from desk.services import accept_suggestion
from stories.models import StoryArticle
from tests.factories import ArticleFactory, StoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_accepts_file_the_article_once_and_tell_the_other_editor():
    article = ArticleFactory()
    grid, zoo = StoryFactory(title="Grid bill"), StoryFactory(title="Pandas")
    ids = [
        Suggestion.objects.create(article=article, story=story, score=0.5).pk
        for story in (grid, zoo)
    ]
    start, outcomes = threading.Barrier(2), []

    def accept(suggestion_id):
        start.wait()
        try:
            outcomes.append(accept_suggestion(suggestion_id=suggestion_id).pk)
        except ValidationError as refusal:
            outcomes.append(refusal.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    (link,) = StoryArticle.objects.filter(article=article)
    accepted = [o for o in outcomes if isinstance(o, int)]
    refusals = [o for o in outcomes if isinstance(o, str)]
    assert accepted == [link.story_id]
    assert len(refusals) == 1
    assert "nothing was attached" in refusals[0].lower()
