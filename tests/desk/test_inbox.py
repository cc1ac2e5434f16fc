"""The desk's inbox in the admin: suggestions shown, attached and dismissed with one click."""

import re
from datetime import timedelta

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk.models import AutoAttachment, Suggestion
from sources.models import Article
from stories.models import StoryArticle
from stories.services import attach_articles, detach_articles
from tests.clients import count_queries, logged_in
from tests.factories import ArticleFactory, SourceFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db
INBOX = reverse("admin:desk_suggestion_changelist")


def attach_url(suggestion):
    return reverse("admin:desk_suggestion_attach", args=[suggestion.pk])


def dismiss_url(suggestion):
    return reverse("admin:desk_suggestion_dismiss", args=[suggestion.pk])


def suggested(*stories, article=None, title="Senate passes the grid bill"):
    """An article in no story with one suggestion per story, best first."""
    article = article or ArticleFactory(title=title)
    return [
        Suggestion.objects.create(
            article=article, story=story, score=0.9 - i / 10, reason=f"shares: grid {i}"
        )
        for i, story in enumerate(stories)
    ]


@pytest.fixture
def client(editor):
    return logged_in(editor)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_inbox_shows_each_article_with_its_suggestions(client):
    grid, zoo = StoryFactory(title="Grid bill"), StoryFactory(title="Pandas")
    suggested(grid, zoo)
    page = client.get(INBOX).content.decode()
    assert "Senate passes the grid bill" in page
    assert page.index("Grid bill") < page.index("Pandas")
    assert "0.90" in page and "shares: grid 0" in page


def test_inbox_leaves_out_articles_in_a_story_and_dismissed_suggestions(client):
    (filed,) = suggested(StoryFactory(), title="Filed already")
    StoryArticle.objects.create(story=StoryFactory(), article=filed.article)
    (refused,) = suggested(StoryFactory(), title="Turned down")
    Suggestion.objects.filter(pk=refused.pk).update(dismissed_at="2026-01-01T00:00Z")
    page = client.get(INBOX).content.decode()
    assert "Filed already" not in page and "Turned down" not in page


def test_inbox_shows_a_proposed_new_story(client):
    article = ArticleFactory(title="Volcano erupts")
    Suggestion.objects.create(article=article, group="new-1", reason="3 articles from 3 outlets")
    page = client.get(INBOX).content.decode()
    assert "Proposed new story" in page and "3 articles from 3 outlets" in page


def test_inbox_costs_the_same_queries_for_more_articles(client):
    stories = [StoryFactory() for _ in range(3)]
    for _ in range(2):
        suggested(*stories)
    few = count_queries(client, INBOX)
    for _ in range(8):
        suggested(*stories)
    assert count_queries(client, INBOX) == few


def test_inbox_with_proposed_stories_costs_the_same_queries_for_more(client):
    def add(n):
        for i in range(n):
            proposed(f"Volcano {n} {i}a", f"Volcano {n} {i}b", group=f"new-{n}-{i}")
            suggested(StoryFactory())
            AutoAttachment.objects.create(article=ArticleFactory(), story=StoryFactory(), score=0.9)

    add(1)
    few = count_queries(client, INBOX)
    add(5)
    assert count_queries(client, INBOX) == few


def test_articles_of_a_proposed_story_are_shown_together_under_one_button(client):
    outlet = SourceFactory()
    first, second, third = proposed("Volcano erupts", "Ash cloud", "Villages evacuated")
    Article.objects.filter(pk__in=[first.article_id, second.article_id]).update(source=outlet)
    suggested(StoryFactory(title="Iceland week"), article=second.article)
    suggested(StoryFactory(title="Grid bill"), title="Senate passes the grid bill")
    page = client.get(INBOX).content.decode()
    assert "Proposed story: 3 articles from 2 outlets" in page
    assert page.count("Proposed story:") == 1
    assert page.count('value="Create story"') == 1
    heading = page.index("Proposed story:")
    for title in ["Volcano erupts", "Ash cloud", "Villages evacuated", "Iceland week"]:
        assert page.index(title) > heading
    assert page.index("Senate passes the grid bill") > page.index("Villages evacuated")
    assert "Proposed new story" not in page


def test_the_group_button_creates_the_story_of_the_whole_group(client):
    proposed("Volcano erupts", "Ash cloud")
    page = client.get(INBOX).content.decode()
    (action,) = re.findall(r'action="([^"]*/create/)"', page)
    client.post(action)
    assert StoryArticle.objects.values("story").distinct().count() == 1
    assert StoryArticle.objects.count() == 2


def test_a_proposal_left_with_one_waiting_article_is_shown_on_its_row(client):
    first, second = proposed("Volcano erupts", "Ash cloud")
    attach_articles(story=StoryFactory(), articles=[second.article])
    page = client.get(INBOX).content.decode()
    assert "Proposed story:" not in page and "Proposed new story" in page


def test_attach_files_the_article_and_clears_its_suggestions(client):
    grid, zoo = StoryFactory(title="Grid bill"), StoryFactory()
    first, _ = suggested(grid, zoo)
    response = client.post(attach_url(first), {"p": "1"}, follow=True)
    assert "Attached to “Grid bill”" in messages_of(response)
    assert StoryArticle.objects.get(article=first.article).story == grid
    assert not Suggestion.objects.filter(article=first.article).exists()


def test_dismiss_is_remembered_and_hides_the_suggestion(client):
    grid = StoryFactory(title="Grid bill")
    (suggestion,) = suggested(grid)
    response = client.post(dismiss_url(suggestion), follow=True)
    assert "will not be suggested again" in messages_of(response)
    assert Suggestion.objects.get(pk=suggestion.pk).dismissed_at is not None
    assert "Grid bill" not in response.content.decode()


def test_attach_after_the_story_was_deleted_attaches_nothing(client):
    grid = StoryFactory(title="Grid bill")
    (suggestion,) = suggested(grid)
    client.get(INBOX)
    grid.delete()
    response = client.post(attach_url(suggestion), follow=True)
    assert "no longer there" in messages_of(response)
    assert not StoryArticle.objects.filter(article=suggestion.article).exists()


def test_second_editor_accepting_another_story_is_told_and_changes_nothing(client):
    grid, zoo = StoryFactory(title="Grid bill"), StoryFactory(title="Pandas")
    first, second = suggested(grid, zoo)
    other = logged_in(UserFactory(username="other", is_staff=True, is_superuser=True))
    client.post(attach_url(first))
    response = other.post(attach_url(second), follow=True)
    assert "no longer there" in messages_of(response)
    assert list(
        StoryArticle.objects.filter(article=first.article).values_list("story", flat=True)
    ) == [grid.pk]


def test_attach_for_an_article_filed_elsewhere_meanwhile_is_refused(client):
    grid, elsewhere = StoryFactory(title="Grid bill"), StoryFactory(title="Energy week")
    (suggestion,) = suggested(grid)
    attach_articles(story=elsewhere, articles=[suggestion.article])
    response = client.post(attach_url(suggestion), follow=True)
    assert "already in the story “Energy week”" in messages_of(response)
    assert StoryArticle.objects.get(article=suggestion.article).story == elsewhere


def test_actions_need_a_post(client):
    (suggestion,) = suggested(StoryFactory())
    assert client.get(attach_url(suggestion)).status_code == 405
    assert client.get(dismiss_url(suggestion)).status_code == 405
    assert not StoryArticle.objects.exists()


def test_actions_need_the_csrf_token(editor):
    (suggestion,) = suggested(StoryFactory())
    client = logged_in(editor, enforce_csrf_checks=True)
    assert client.post(attach_url(suggestion)).status_code == 403
    assert not StoryArticle.objects.exists()


def test_staff_who_may_not_change_stories_can_neither_see_nor_act():
    (suggestion,) = suggested(StoryFactory())
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_story"))
    client = logged_in(viewer)
    assert client.get(INBOX).status_code == 403
    assert client.post(attach_url(suggestion)).status_code == 403
    assert client.post(dismiss_url(suggestion)).status_code == 403
    assert Suggestion.objects.open().count() == 1
    assert not StoryArticle.objects.exists()


def test_readers_are_sent_to_log_in():
    (suggestion,) = suggested(StoryFactory())
    response = logged_in(UserFactory(username="reader")).post(attach_url(suggestion))
    assert response.status_code == 302 and "login" in response["Location"]
    assert Client().get(INBOX).status_code == 302
    assert not StoryArticle.objects.exists()


@pytest.mark.parametrize("title", ["", "Breaking"])
def test_empty_and_one_word_headlines_are_listed(client, title):
    suggested(StoryFactory(title="Grid bill"), title=title)
    page = client.get(INBOX).content.decode()
    assert "Grid bill" in page


def create_url(suggestion):
    return reverse("admin:desk_suggestion_create", args=[suggestion.pk])


def proposed(*titles, group="new-1"):
    """Articles in no story, proposed together as one new story."""
    return [
        Suggestion.objects.create(
            article=ArticleFactory(title=title), group=group, reason="3 articles from 3 outlets"
        )
        for title in titles
    ]


def test_a_proposed_story_is_created_as_a_draft_of_its_articles(client):
    first, *others = proposed("Volcano erupts", "Ash cloud grounds flights", "Villages evacuated")
    response = client.post(create_url(others[1]))
    story = StoryArticle.objects.get(article=first.article).story
    assert response.status_code == 302
    assert response.url == reverse("admin:stories_story_change", args=[story.pk])
    assert story.status == story.Status.DRAFT and story.title == "Volcano erupts"
    assert set(StoryArticle.objects.filter(story=story).values_list("article_id", flat=True)) == {
        s.article_id for s in [first, *others]
    }
    assert not Suggestion.objects.open().exists()


def test_a_proposal_leaves_out_articles_filed_meanwhile(client):
    first, second, third = proposed("Volcano erupts", "Ash cloud", "Villages evacuated")
    elsewhere = StoryFactory(title="Ash over Europe")
    attach_articles(story=elsewhere, articles=[second.article])
    client.post(create_url(first))
    story = StoryArticle.objects.get(article=first.article).story
    assert StoryArticle.objects.get(article=second.article).story == elsewhere
    assert StoryArticle.objects.filter(story=story).count() == 2


def test_a_proposal_whose_articles_are_all_filed_creates_nothing(client):
    (only,) = proposed("Volcano erupts")
    attach_articles(story=StoryFactory(), articles=[only.article])
    stories_before = StoryArticle.objects.count()
    response = client.post(create_url(only), follow=True)
    assert "nothing was created" in messages_of(response)
    assert StoryArticle.objects.count() == stories_before


def test_a_proposal_dismissed_meanwhile_creates_nothing(client):
    (only,) = proposed("Volcano erupts")
    Suggestion.objects.filter(pk=only.pk).update(dismissed_at="2026-01-01T00:00Z")
    response = client.post(create_url(only), follow=True)
    assert "no longer there" in messages_of(response)
    assert not StoryArticle.objects.exists()


def test_the_admin_index_counts_the_articles_waiting_in_no_story(client):
    ArticleFactory.create_batch(3)
    attach_articles(story=StoryFactory(), articles=[ArticleFactory()])
    page = client.get(reverse("admin:index")).content.decode()
    assert "<strong>3 articles</strong> waiting in no story" in page
    assert INBOX in page


def test_the_waiting_count_stops_at_the_limit(client, monkeypatch):
    from sources.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "limit", 2)
    ArticleFactory.create_batch(3)
    page = client.get(reverse("admin:index")).content.decode()
    assert "<strong>More than 2 articles</strong> waiting in no story" in page


# --- Every waiting article, and "no story for this" ------------------------------------


def no_story_url(article):
    return reverse("admin:desk_article_no_story", args=[article.pk])


def test_an_article_suggested_nothing_is_listed_with_a_way_to_attach_it(client):
    ArticleFactory(title="First container ships berth")
    page = client.get(INBOX).content.decode()
    assert "First container ships berth" in page
    assert "Nothing suggested" in page
    assert 'value="Attach to a story…"' in page and 'value="No story for this"' in page


def test_articles_older_than_the_window_or_already_seen_are_not_listed_unsuggested(client):
    ArticleFactory(title="Last week's news", published_at=timezone.now() - timedelta(hours=73))
    (refused,) = suggested(StoryFactory(), title="Turned down")
    Suggestion.objects.filter(pk=refused.pk).update(dismissed_at=timezone.now())
    attach_articles(story=StoryFactory(), articles=[ArticleFactory(title="Filed already")])
    page = client.get(INBOX).content.decode()
    assert "Last week" not in page and "Turned down" not in page and "Filed already" not in page
    assert "No article is waiting in the inbox." in page


def test_an_old_article_with_a_suggestion_waiting_is_still_listed(client):
    old = ArticleFactory(title="Last week's news", published_at=timezone.now() - timedelta(days=8))
    suggested(StoryFactory(title="Grid bill"), article=old)
    assert "Last week" in client.get(INBOX).content.decode()


def test_the_inbox_costs_the_same_queries_with_more_articles_suggested_nothing(client):
    suggested(StoryFactory())
    proposed("Volcano erupts", "Ash cloud")
    ArticleFactory.create_batch(2)
    few = count_queries(client, INBOX)
    ArticleFactory.create_batch(10)
    proposed("Bridge closed", "Detours", group="new-2")
    assert count_queries(client, INBOX) == few


def test_attach_to_a_story_from_the_inbox_goes_through_the_articles_action(editor):
    browser = logged_in(editor, enforce_csrf_checks=True)
    article = ArticleFactory(title="First container ships berth")
    story = StoryFactory(title="Port strike")
    inbox = lxml.html.fromstring(browser.get(INBOX).content.decode())
    (form,) = [f for f in inbox.forms if "action" in f.inputs]
    chooser = browser.post(form.action, dict(form.form_values()))
    assert chooser.status_code == 200 and "Port strike" in chooser.content.decode()
    curate = lxml.html.fromstring(chooser.content.decode()).get_element_by_id("curate-form")
    values = dict(curate.form_values()) | {"story": str(story.pk), "confirm": "Confirm"}
    assert browser.post(form.action, values).status_code == 302
    assert StoryArticle.objects.get(article=article).story == story
    assert "First container" not in browser.get(INBOX).content.decode()


def test_no_story_clears_the_article_from_the_inbox_in_one_click(client):
    first, second = suggested(StoryFactory(title="Grid bill"), StoryFactory(title="Pandas"))
    response = client.post(no_story_url(first.article), {"p": "1"}, follow=True)
    assert "In no story: dismissed 2 suggestions" in messages_of(response)
    assert "Senate passes the grid bill" not in response.content.decode()
    assert not Suggestion.objects.open().exists()
    assert not StoryArticle.objects.exists()


def test_no_story_clears_an_article_that_was_suggested_nothing(client):
    article = ArticleFactory(title="Local bakery wins award")
    response = client.post(no_story_url(article), follow=True)
    assert "In no story; nothing will be suggested" in messages_of(response)
    assert "Local bakery" not in response.content.decode()


def test_no_story_for_an_article_filed_meanwhile_says_so_and_changes_nothing(client):
    (suggestion,) = suggested(StoryFactory(title="Grid bill"))
    attach_articles(story=StoryFactory(title="Energy week"), articles=[suggestion.article])
    response = client.post(no_story_url(suggestion.article), follow=True)
    assert "in the story “Energy week” already" in messages_of(response)
    assert Suggestion.objects.open().count() == 1


@pytest.mark.parametrize("pk", [0, 10**12])
def test_no_story_for_an_article_that_does_not_exist_says_so(client, pk):
    response = client.post(reverse("admin:desk_article_no_story", args=[pk]), follow=True)
    assert response.status_code == 200
    assert "deleted meanwhile" in messages_of(response)
    assert not Suggestion.objects.exists()


def test_no_story_needs_a_post_the_csrf_token_and_the_right_to_change_stories(editor):
    (suggestion,) = suggested(StoryFactory())
    url = no_story_url(suggestion.article)
    assert logged_in(editor).get(url).status_code == 405
    assert logged_in(editor, enforce_csrf_checks=True).post(url).status_code == 403
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_story"))
    assert logged_in(viewer).post(url).status_code == 403
    assert Client().post(url).status_code == 302
    assert Suggestion.objects.open().count() == 1


def test_an_article_said_to_be_in_no_story_then_filed_and_taken_out_waits_again(client):
    article = ArticleFactory(title="Local bakery wins award")
    client.post(no_story_url(article))
    assert "Local bakery" not in client.get(INBOX).content.decode()
    story = StoryFactory(title="Small business week")
    attach_articles(story=story, articles=[article])  # the editor thought again
    detach_articles(story=story, articles=[article])
    assert not Suggestion.objects.filter(article=article, group="no-story").exists()
    assert "Local bakery" in client.get(INBOX).content.decode()
