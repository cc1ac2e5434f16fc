"""The story page's related stories (stored by desk.related.refresh_related): titles linking
to them, with their source counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk.related import refresh_related
from tests.factories import DraftStoryFactory, KeyPointFactory, SourceFactory, StoryFactory, attach

from .html import find, inside, squash

pytestmark = pytest.mark.django_db


def story(title, point, *, sources=1, **kw):
    made = StoryFactory(title=title, **kw)
    KeyPointFactory(story=made, text=point)
    for _ in range(sources):
        attach(made, SourceFactory(), title=title)
    made.refresh_from_db()
    return made


def page(client, story):
    refresh_related([story.pk])  # as the task does once the story has changed
    response = client.get(f"/stories/{story.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_related_stories_link_to_their_pages_with_source_counts(client):
    grid = story("Senate passes grid bill", "The transmission bill funds power lines.")
    kin = story("Utilities back the grid bill", "New transmission lines.", sources=3)
    story("Zoo welcomes a panda cub", "The cub weighs 150 grams.")
    html = page(client, grid)
    links = inside(html, "related-stories", "a")
    assert [(a.attrs["href"], a.text) for a in links] == [
        (f"/stories/{kin.slug}/", "Utilities back the grid bill")
    ]
    (count,) = find(html, "span", class_="related-sources")
    assert squash(count.text) == "3 sources"
    assert 'aria-labelledby="related-stories-heading"' in html


def test_drafts_and_scheduled_stories_are_never_shown(client):
    grid = story("Senate passes grid bill", "The transmission bill funds power lines.")
    DraftStoryFactory(title="Senate grid bill transmission lines")
    story(
        "Senate grid bill transmission power",
        "Grid bill.",
        published_at=timezone.now() + timedelta(hours=1),
    )
    html = page(client, grid)
    assert 'id="related-stories"' not in html
    assert "Related stories" not in html


def test_no_related_stories_means_no_section(client):
    panda = story("Zoo welcomes a panda cub", "The cub weighs 150 grams.")
    story("Senate passes grid bill", "The transmission bill funds power lines.")
    assert 'id="related-stories"' not in page(client, panda)


def test_a_story_with_no_key_points_or_articles_shows_its_page(client):
    bare = StoryFactory(title="Grid bill")
    story("Senate passes grid bill", "The transmission bill funds power lines.")
    html = page(client, bare)
    assert [a.text for a in inside(html, "related-stories", "a")] == ["Senate passes grid bill"]
    assert 'id="related-stories"' not in page(client, StoryFactory(title=""))
