"""How the left, center and right headline a story: the pick, the editors' pins, the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sources.ratings import Bias
from stories import perspectives
from stories.coverage import BiasSplit
from stories.models import Perspective
from stories.perspectives import CANDIDATES, most_representative, perspectives_for
from stories.services import detach_articles
from tests.admin.helpers import errors_of, form_data
from tests.clients import logged_in
from tests.factories import (
    ArticleFactory,
    KeyPointFactory,
    SourceFactory,
    StoryFactory,
    attach,
    story_with_coverage,
)

from .big_story import big_story
from .html import by_id, factuality_traces, inside, squash

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def row(pk, title, hours_ago=1):
    return {"id": pk, "title": title, "published_at": NOW - timedelta(hours=hours_ago)}


def page_html(client, story) -> str:
    response = client.get(f"/stories/{story.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def side_of(client, story, side):
    return by_id(page_html(client, story), f"perspective-{side}")


def headline_of(client, story, side) -> str:
    paragraphs = inside(page_html(client, story), f"perspective-{side}", "p")
    (headline,) = [p for p in paragraphs if p.has_class("perspective-headline")]
    return squash(headline.text).removesuffix(" (opens in a new tab)")


@pytest.fixture
def port_strike():
    """Three left headlines, two about the strike; one center headline; no right outlet."""
    story = StoryFactory(title="Port strike")
    KeyPointFactory(story=story)
    left = SourceFactory(name="Left Ledger", bias=Bias.LEFT)
    attach(story, left, title="Port strike halts shipping", published_at=NOW - timedelta(hours=5))
    attach(
        story, left, title="Port strike enters second week", published_at=NOW - timedelta(hours=4)
    )
    attach(story, left, title="Local team wins the cup", published_at=NOW - timedelta(hours=1))
    attach(story, SourceFactory(name="Middle Post", bias=Bias.CENTER), title="Dockers walk out")
    return story


# The rule


def test_the_pick_shares_the_most_terms_with_the_other_headlines():
    rows = [
        row(1, "Senate passes budget after long night"),
        row(2, "Budget passes Senate"),
        row(3, "Celebrity chef opens a restaurant"),
        row(4, "Senate budget vote: what it means"),
    ]
    assert most_representative(rows)["id"] == 2


def test_short_words_every_headline_uses_do_not_count():
    rows = [row(1, "The storm and the flood"), row(2, "Storm hits coast"), row(3, "Of the and a")]
    assert most_representative(rows)["id"] in (1, 2)
    assert perspectives.terms("Of the and a") == set()


def test_a_tie_goes_to_the_newer_article_then_to_the_lower_id():
    assert most_representative([row(1, "Floods", 5), row(2, "Floods", 2)])["id"] == 2
    assert most_representative([row(7, "Floods", 2), row(3, "Floods", 2)])["id"] == 3


def test_the_pick_is_the_same_whatever_the_order_of_the_rows():
    rows = [row(i, f"Harbour talks round {i % 3}", i % 4) for i in range(1, 13)]
    assert most_representative(rows) == most_representative(list(reversed(rows)))


def test_no_rows_pick_nothing():
    assert most_representative([]) is None


# The page


def test_each_covered_side_shows_its_most_representative_headline(client, port_strike):
    assert headline_of(client, port_strike, "left") == "Port strike halts shipping"
    assert headline_of(client, port_strike, "center") == "Dockers walk out"
    left = squash(side_of(client, port_strike, "left").text)
    assert "Left Ledger" in left and "1 left source covered this story." in left


def test_a_side_without_coverage_says_so(client, port_strike):
    right = side_of(client, port_strike, "right")
    assert right.attrs["data-covered"] == "false"
    assert "No coverage from the right." in squash(right.text)


def test_an_editors_pin_replaces_the_pick(client, port_strike):
    pinned = port_strike.story_articles.get(article__title="Local team wins the cup").article
    Perspective.objects.create(story=port_strike, side="left", article=pinned)
    assert headline_of(client, port_strike, "left") == "Local team wins the cup"
    assert "Editors’ pick" in side_of(client, port_strike, "left").text


def test_a_pin_detached_from_the_story_is_ignored(client, port_strike):
    pinned = port_strike.story_articles.get(article__title="Local team wins the cup").article
    Perspective.objects.create(story=port_strike, side="left", article=pinned)
    detach_articles(story=port_strike, articles=[pinned])
    assert headline_of(client, port_strike, "left") == "Port strike halts shipping"
    assert "Editors’ pick" not in side_of(client, port_strike, "left").text


def test_a_pin_moved_to_another_story_is_ignored(client, port_strike):
    link = port_strike.story_articles.get(article__title="Local team wins the cup")
    Perspective.objects.create(story=port_strike, side="left", article=link.article)
    link.story = StoryFactory()
    link.save()
    assert headline_of(client, port_strike, "left") == "Port strike halts shipping"


def test_a_pin_whose_outlet_changed_side_is_ignored(client, port_strike):
    pinned = port_strike.story_articles.get(article__title="Dockers walk out").article
    Perspective.objects.create(story=port_strike, side="center", article=pinned)
    pinned.source.bias = Bias.RIGHT
    pinned.source.save()
    assert "Editors’ pick" not in side_of(client, port_strike, "right").text
    assert "No coverage from the center." in squash(side_of(client, port_strike, "center").text)


def test_a_pin_whose_article_was_deleted_is_dropped(client, port_strike):
    pinned = port_strike.story_articles.get(article__title="Dockers walk out").article
    perspective = Perspective.objects.create(story=port_strike, side="center", article=pinned)
    pinned.delete()
    perspective.refresh_from_db()
    assert perspective.article is None
    assert "No coverage from the center." in squash(side_of(client, port_strike, "center").text)


def test_summaries_show_under_their_side_even_without_coverage(client, port_strike):
    Perspective.objects.create(story=port_strike, side="right", summary="Right outlets stay quiet.")
    right = squash(side_of(client, port_strike, "right").text)
    assert "No coverage from the right." in right and "Right outlets stay quiet." in right


def test_headlines_and_summaries_with_markup_are_escaped(client):
    story = StoryFactory()
    hostile = '<img src=x onerror="alert(1)"><b>Bold</b> claim'
    attach(story, SourceFactory(bias=Bias.LEFT), title=hostile)
    Perspective.objects.create(story=story, side="left", summary="<script>alert(2)</script>")
    html = page_html(client, story)
    section = html[html.index('id="perspectives"') : html.index("perspective-tabs.js")]
    assert "<img" not in section and "<b>" not in section and "<script>" not in section
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in section
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in section


def test_a_headline_whose_address_is_not_http_is_not_a_link(client):
    story = StoryFactory()
    attach(story, SourceFactory(bias=Bias.CENTER), title="Tap here", url="javascript:alert(1)")
    html = page_html(client, story)
    assert "javascript:" not in html
    assert "Tap here" in squash(by_id(html, "perspective-center").text)


@pytest.mark.parametrize("audience", ["anonymous", "free", "premium"])
def test_the_new_sections_show_no_factuality(client_as, port_strike, audience):
    pinned = port_strike.story_articles.get(article__title="Dockers walk out").article
    Perspective.objects.create(story=port_strike, side="center", article=pinned)
    html = client_as(audience).get(f"/stories/{port_strike.slug}/").content.decode()
    perspectives = html[html.index('id="perspectives"') : html.index("perspective-tabs.js")]
    timeline = html[html.index('id="timeline"') : html.index("</table>")]
    assert "Middle Post" in perspectives and "Dockers walk out" in perspectives
    assert factuality_traces(perspectives + timeline) == []


# Work bounded whatever the size


@pytest.mark.parametrize("articles", [10, 300])
def test_perspectives_cost_two_queries_at_any_size(django_assert_num_queries, articles):
    story = story_with_coverage(articles=articles, sources=min(articles, 60))
    with django_assert_num_queries(2):
        result = perspectives_for(story, bias=BiasSplit(left=1, center=1, right=1))
    assert [side.headline is not None for side in result] == [True, True, True]


def test_candidates_are_the_latest_few_of_each_side(monkeypatch):
    monkeypatch.setattr(perspectives, "CANDIDATES", 3)
    story = StoryFactory()
    # Two outlets of the left, rated differently, take turns; the right has one.
    lefts = [SourceFactory(bias=Bias.LEAN_LEFT), SourceFactory(bias=Bias.FAR_LEFT)]
    right = SourceFactory(bias=Bias.FAR_RIGHT)
    for hours in range(10):
        at = NOW - timedelta(hours=hours)
        attach(story, lefts[hours % 2], title=f"Left {hours}", published_at=at)
        attach(story, right, title=f"Right {hours}", published_at=at)
    chosen = perspectives._candidates(story, ["left", "right"])
    assert [r["title"] for r in chosen["left"]] == ["Left 0", "Left 1", "Left 2"]
    assert [r["title"] for r in chosen["right"]] == ["Right 0", "Right 1", "Right 2"]


def test_a_20000_article_story_hands_python_a_bounded_number_of_headlines(client, monkeypatch):
    story = big_story(articles=20_000)
    seen = []
    real = perspectives.most_representative

    def counting(rows):
        seen.append(len(rows))
        return real(rows)

    monkeypatch.setattr(perspectives, "most_representative", counting)
    page_html(client, story)
    assert seen == [CANDIDATES, CANDIDATES, CANDIDATES]


# The admin

ADMIN_CHANGE = "admin:stories_story_change"


@pytest.fixture
def admin_client_(admin_user):
    return logged_in(admin_user)


def pin(admin_client_, story, *, side, article, summary=""):
    url = reverse(ADMIN_CHANGE, args=[story.pk])
    data = form_data(admin_client_.get(url), "story_form")
    index = int(data["perspectives-TOTAL_FORMS"])
    data |= {
        "perspectives-TOTAL_FORMS": str(index + 1),
        f"perspectives-{index}-side": side,
        f"perspectives-{index}-article": str(article.pk) if article else "",
        f"perspectives-{index}-summary": summary,
    }
    return admin_client_.post(url, data)


def test_editors_pin_an_article_of_the_story_for_its_side(admin_client_, port_strike):
    article = port_strike.story_articles.get(article__title="Dockers walk out").article
    response = pin(admin_client_, port_strike, side="center", article=article, summary="Calm.")
    assert response.status_code == 302, errors_of(response)
    perspective = Perspective.objects.get(story=port_strike)
    assert (perspective.side, perspective.article, perspective.summary) == (
        "center",
        article,
        "Calm.",
    )


def test_the_admin_refuses_an_article_of_another_story(admin_client_, port_strike):
    elsewhere = ArticleFactory(source=SourceFactory(bias=Bias.CENTER))
    response = pin(admin_client_, port_strike, side="center", article=elsewhere)
    assert response.status_code == 200
    assert "This article is not in this story" in errors_of(response)
    assert not Perspective.objects.exists()


def test_the_admin_refuses_an_article_from_another_side(admin_client_, port_strike):
    article = port_strike.story_articles.get(article__title="Dockers walk out").article
    response = pin(admin_client_, port_strike, side="right", article=article)
    assert response.status_code == 200
    assert "Middle Post is rated Center: its articles can be pinned for the Center only" in (
        errors_of(response)
    )
    assert not Perspective.objects.exists()


def test_the_admin_refuses_an_outlet_without_a_bias_rating(admin_client_):
    story = StoryFactory()
    attach(story, SourceFactory(name="Unrated Times", bias=None))
    response = pin(admin_client_, story, side="left", article=story.story_articles.get().article)
    assert "Unrated Times has no bias rating" in errors_of(response)


def test_the_admin_refuses_two_perspectives_for_one_side(admin_client_, port_strike):
    Perspective.objects.create(story=port_strike, side="left", summary="First.")
    response = pin(admin_client_, port_strike, side="left", article=None, summary="Second.")
    assert response.status_code == 200
    assert "already" in errors_of(response).lower() or "duplicate" in errors_of(response).lower()
    assert Perspective.objects.get().summary == "First."


def test_a_stale_pin_does_not_stop_editors_saving_the_story(admin_client_, port_strike):
    pinned = port_strike.story_articles.get(article__title="Local team wins the cup").article
    Perspective.objects.create(story=port_strike, side="left", article=pinned)
    detach_articles(story=port_strike, articles=[pinned])
    url = reverse(ADMIN_CHANGE, args=[port_strike.pk])
    data = form_data(admin_client_.get(url), "story_form") | {"title": "Port strike, day 2"}
    response = admin_client_.post(url, data)
    assert response.status_code == 302, errors_of(response)
    port_strike.refresh_from_db()
    assert port_strike.title == "Port strike, day 2"
