"""The article admin: list, filters, search, and the actions that gather articles into stories."""

import pytest
from django.urls import reverse

from sources.ratings import Bias
from stories.models import Story, StoryArticle
from tests.clients import logged_in
from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, StoryFactory

from .helpers import ARTICLES, action, form_data, listed, messages_of

pytestmark = pytest.mark.django_db


def test_list_shows_outlet_bias_and_links_the_story(superuser_client):
    link = StoryArticleFactory(
        story__title="Port strike", article__source=SourceFactory(bias=Bias.LEAN_RIGHT)
    )
    ArticleFactory(source=SourceFactory(bias=None))
    page = superuser_client.get(ARTICLES).content.decode()
    story_url = reverse("admin:stories_story_change", args=[link.story_id])
    assert f'<a href="{story_url}">Port strike</a>' in page
    assert "Lean Right" in page
    assert "Not rated" in page


def test_bias_filter_selects_one_point_of_the_scale(superuser_client):
    left = ArticleFactory(source=SourceFactory(bias=Bias.LEFT))
    ArticleFactory(source=SourceFactory(bias=Bias.LEAN_LEFT))
    assert listed(superuser_client, "sources_article", bias=str(Bias.LEFT.value)) == [left]


def test_bias_filter_selects_articles_of_unrated_outlets(superuser_client):
    unrated = ArticleFactory(source=SourceFactory(bias=None))
    ArticleFactory(source=SourceFactory(bias=Bias.CENTER))
    assert listed(superuser_client, "sources_article", bias="none") == [unrated]


def test_story_filter_separates_the_inbox_from_placed_articles(superuser_client):
    waiting = ArticleFactory()
    placed = StoryArticleFactory().article
    assert listed(superuser_client, "sources_article", in_story="no") == [waiting]
    assert listed(superuser_client, "sources_article", in_story="yes") == [placed]


def test_outlet_filter_selects_one_source(superuser_client):
    article = ArticleFactory()
    ArticleFactory()
    assert listed(
        superuser_client, "sources_article", source__id__exact=str(article.source_id)
    ) == [article]


# A link is searched whole (its canonical form is unique and indexed), not by a piece of it.
@pytest.mark.parametrize(
    "term", ["wildfire smoke", "https://news.example/articles/wildfire-smoke", "mountain herald"]
)
def test_search_finds_by_headline_link_and_outlet(superuser_client, term):
    article = ArticleFactory(
        title="Wildfire smoke drifts east",
        url="https://news.example/articles/wildfire-smoke",
        source=SourceFactory(name="Mountain Herald"),
    )
    ArticleFactory(title="Budget talks")
    assert listed(superuser_client, "sources_article", q=term) == [article]


def test_attach_action_asks_for_the_story_first(superuser_client):
    articles = ArticleFactory.create_batch(2)
    StoryFactory(title="Election night")
    response = superuser_client.post(ARTICLES, action("attach_to_story", articles))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.template_name == "admin/sources/article/curate.html"
    assert "csrfmiddlewaretoken" in page
    assert "Election night (Published)" in page
    data = form_data(response, "curate-form")
    assert data["action"] == "attach_to_story"
    assert StoryArticle.objects.count() == 0


def test_attach_action_keeps_every_selected_id_on_its_page(superuser_client):
    articles = ArticleFactory.create_batch(3)
    response = superuser_client.post(ARTICLES, action("attach_to_story", articles))
    page = response.content.decode()
    for article in articles:
        assert f'name="_selected_action" value="{article.pk}"' in page


def test_attach_action_attaches_on_confirm(superuser_client, admin_user):
    articles = ArticleFactory.create_batch(2)
    story = StoryFactory(title="Election night")
    response = superuser_client.post(
        ARTICLES, action("attach_to_story", articles, confirm="Confirm", story=story.pk)
    )
    assert response.status_code == 302
    assert set(StoryArticle.objects.values_list("article_id", "story_id", "added_by")) == {
        (article.pk, story.pk, admin_user.pk) for article in articles
    }
    assert "Attached 2 articles to “Election night”." in messages_of(response)


def test_attach_action_moves_articles_from_another_story_and_says_so(superuser_client):
    link = StoryArticleFactory(story__title="Old story")
    target = StoryFactory(title="New story")
    response = superuser_client.post(
        ARTICLES, action("attach_to_story", [link.article], confirm="1", story=target.pk)
    )
    link.refresh_from_db()
    assert link.story == target
    (message, *warnings) = messages_of(response)
    assert "moved from: “Old story”" in message
    assert "“Old story” is still published but has no articles left" in warnings[0]


def test_attach_action_is_cancelled_by_a_link_back_to_the_list(superuser_client):
    articles = [ArticleFactory()]
    response = superuser_client.post(ARTICLES + "?in_story=no", action("attach_to_story", articles))
    assert 'href="/admin/sources/article/?in_story=no" class="button cancel-link"' in (
        response.content.decode()
    )


def test_attach_flow_works_as_a_browser_submits_it_with_csrf(editor):
    browser = logged_in(editor, enforce_csrf_checks=True)
    article = ArticleFactory()
    story = StoryFactory()
    changelist = form_data(browser.get(ARTICLES), "changelist-form")
    changelist |= {"action": "attach_to_story", "_selected_action": str(article.pk)}
    page = browser.post(ARTICLES, changelist)
    confirm = form_data(page, "curate-form") | {"story": str(story.pk), "confirm": "Confirm"}
    assert browser.post(ARTICLES, confirm).status_code == 302
    assert StoryArticle.objects.get(article=article).story == story


def test_create_story_action_asks_for_a_title(superuser_client):
    response = superuser_client.post(
        ARTICLES, action("create_story_from_selected", [ArticleFactory()])
    )
    assert response.status_code == 200
    assert set(form_data(response, "curate-form")) >= {"title", "key_points", "csrfmiddlewaretoken"}


def test_create_story_action_creates_a_draft_and_opens_it(superuser_client, admin_user):
    articles = ArticleFactory.create_batch(2)
    response = superuser_client.post(
        ARTICLES,
        action(
            "create_story_from_selected",
            articles,
            confirm="Confirm",
            title="Dockworkers vote to strike",
            key_points="The vote was close.\n\n  Talks resume Monday.  \n",
        ),
    )
    story = Story.objects.get(title="Dockworkers vote to strike")
    assert response.status_code == 302
    assert response.url == reverse("admin:stories_story_change", args=[story.pk])
    assert story.status == Story.Status.DRAFT and story.created_by == admin_user
    assert list(story.key_points.values_list("text", flat=True)) == [
        "The vote was close.",
        "Talks resume Monday.",
    ]
    assert set(story.story_articles.values_list("article_id", flat=True)) == {
        a.pk for a in articles
    }


def test_create_story_action_needs_a_title(superuser_client):
    response = superuser_client.post(
        ARTICLES, action("create_story_from_selected", [ArticleFactory()], confirm="1", title=" ")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert Story.objects.count() == 0


def test_create_story_action_refuses_an_overlong_key_point(superuser_client):
    response = superuser_client.post(
        ARTICLES,
        action(
            "create_story_from_selected",
            [ArticleFactory()],
            confirm="1",
            title="T",
            key_points="x" * 601,
        ),
    )
    assert response.status_code == 200
    assert "at most 600 characters" in " ".join(response.context["form"].non_field_errors())
    assert Story.objects.count() == 0
