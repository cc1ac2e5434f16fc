"""Articles carry their copy key, so that clients can show copies of one text once."""

import pytest

from sources.copies import copy_key
from sources.models import Article
from tests.factories import SourceFactory, StoryFactory, attach

pytestmark = pytest.mark.django_db

WIRE = "Harbour workers end strike after pay deal"


def test_a_storys_articles_give_their_copy_key(anon):
    story = StoryFactory(slug="strike")
    for title in (WIRE, WIRE + " - Reuters", "Port reopens after strike", "", ""):
        attach(story, SourceFactory(), title=title, summary="Dock workers voted on Tuesday.")
    results = anon.get("/api/v1/stories/strike/articles/").json()["results"]
    keys = {item["id"]: item["copy_key"] for item in results}
    assert len(keys) == 5
    by_title = {a.pk: a.title for a in Article.objects.all()}
    wire = copy_key(WIRE, "Dock workers voted on Tuesday.")
    assert sorted(keys[pk] or "" for pk in keys if by_title[pk].startswith(WIRE)) == [wire] * 2
    assert [keys[pk] for pk in keys if not by_title[pk]] == [None, None]
    assert len({keys[pk] for pk in keys if by_title[pk]}) == 2


def test_an_article_gives_its_copy_key(anon):
    attach(StoryFactory(), SourceFactory(), title=WIRE)
    article = Article.objects.get()
    data = anon.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["copy_key"] == copy_key(WIRE, article.summary)
    assert data["copy_key"] is not None
