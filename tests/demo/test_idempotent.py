"""load_demo() run again, or over editors' own data: nothing duplicated, nothing overwritten."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import Subscription
from demo.content import REFERENCE
from demo.load import load_demo
from demo.plan import build_plan
from sources.models import Article, Feed, Owner, Source
from stories.models import KeyPoint, Story, StoryArticle, Topic
from tests.factories import SourceFactory, StoryArticleFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
MODELS = [Owner, Source, Feed, Article, Story, KeyPoint, StoryArticle, Subscription, User,
          User.groups.through, Topic, Story.topics.through]  # fmt: skip


def snapshot() -> dict:
    """Every field of every row the demo touches, timestamps included."""
    return {model: list(model.objects.order_by("pk").values()) for model in MODELS}


def harbor_ledger():
    return Source.objects.get(domain="harborledger.example")


def test_a_second_run_later_creates_nothing_and_changes_nothing(demo, loaded_at):
    before = snapshot()
    report = load_demo(now=loaded_at + timedelta(days=3))
    assert not +report.created
    assert report.present["articles"] == demo.created["articles"]
    assert snapshot() == before


def test_a_second_run_takes_a_constant_handful_of_queries(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        load_demo()


def test_a_renamed_demo_source_keeps_its_new_name(demo):
    Source.objects.filter(pk=harbor_ledger().pk).update(name="Harbor Ledger & Courier")
    load_demo()
    assert harbor_ledger().name == "Harbor Ledger & Courier"
    assert Source.objects.count() == demo.created["sources"]


def test_a_demo_source_with_a_new_slug_is_not_created_again(demo):
    Source.objects.filter(pk=harbor_ledger().pk).update(slug="ledger")
    assert not +load_demo().created
    assert harbor_ledger().slug == "ledger"


def test_an_edited_story_title_survives_and_the_story_is_not_recreated(demo):
    Story.objects.filter(slug=REFERENCE.slug).update(title="Grid bill passes the Senate")
    load_demo()
    assert Story.objects.get(slug=REFERENCE.slug).title == "Grid bill passes the Senate"
    assert Story.objects.count() == demo.created["stories"]


def test_a_story_whose_slug_editors_changed_is_not_recreated(demo):
    Story.objects.filter(slug=REFERENCE.slug).update(slug="grid-bill")
    report = load_demo()
    assert Story.objects.count() == demo.created["stories"]
    assert any(REFERENCE.slug in note for note in report.skipped)


def test_articles_editors_took_out_of_a_demo_story_are_not_put_back(demo):
    story = Story.objects.get(slug=REFERENCE.slug)
    taken = list(story.story_articles.values_list("article_id", flat=True)[:10])
    StoryArticle.objects.filter(article_id__in=taken).delete()
    load_demo()
    assert story.story_articles.count() == 150
    assert Article.objects.filter(pk__in=taken, story_link__isnull=True).count() == 10


def test_a_changed_demo_password_is_kept(demo):
    editor = User.objects.get(username="editor")
    editor.set_password("my own secret")
    editor.save()
    load_demo()
    editor.refresh_from_db()
    assert editor.check_password("my own secret")


def test_existing_accounts_with_demo_usernames_get_no_new_powers(db):
    UserFactory(username="editor")
    UserFactory(username="premium")
    report = load_demo()
    editor = User.objects.get(username="editor")
    assert not editor.is_staff
    assert not editor.groups.exists()
    assert not editor.check_password("editor-demo-pass")
    assert not Subscription.objects.filter(user__username="premium").exists()
    assert report.new_accounts == {"reader"}


def test_an_outlet_of_editors_with_a_demo_slug_is_left_alone(db):
    ours = SourceFactory(slug="the-harbor-ledger", name="Harbor Ledger", domain="ledger.example")
    before = Source.objects.filter(pk=ours.pk).values().get()
    report = load_demo()
    assert Source.objects.filter(pk=ours.pk).values().get() == before
    assert not ours.feeds.exists()
    assert not ours.articles.exists()
    assert not Source.objects.filter(domain="harborledger.example").exists()
    assert any("the-harbor-ledger" in note for note in report.skipped)


def test_a_demo_article_url_already_in_an_editors_story_stays_there(db):
    url = next(s for s in build_plan().stories if s.content is REFERENCE).articles[0].url
    theirs = StoryFactory(slug="our-story")
    link = StoryArticleFactory(story=theirs, article__url=url, article__title="Our headline")
    load_demo()
    link.refresh_from_db()
    assert link.story == theirs
    assert link.article.title == "Our headline"
    assert Article.objects.filter(url=url).count() == 1
    assert Story.objects.get(slug=REFERENCE.slug).story_articles.count() == 159


def test_loading_over_editors_data_twice_duplicates_nothing(db):
    SourceFactory(slug="the-harbor-ledger", domain="ledger.example")
    UserFactory(username="editor")
    load_demo()
    before = snapshot()
    assert not +load_demo().created
    assert snapshot() == before


def test_without_the_editors_group_the_editor_is_created_without_rights_and_reported(db):
    Group.objects.filter(name="Editors").delete()
    report = load_demo()
    assert not User.objects.get(username="editor").groups.exists()
    assert any("Editors group" in note for note in report.skipped)


def test_the_command_prints_the_demo_logins_and_what_it_created(db):
    out = StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    text = out.getvalue()
    assert "Demo data: created 12 owners, 60 sources, 60 feeds" in text
    for login in ("editor", "editor-demo-pass", "premium-demo-pass", "reader-demo-pass"):
        assert login in text


def test_the_command_run_again_says_it_created_nothing_and_still_prints_the_logins(demo):
    out = StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    text = out.getvalue()
    assert "Demo data: created nothing; already present 12 owners" in text
    assert "editor-demo-pass" in text
    assert "password not changed" in text


def test_the_command_refuses_a_production_site_unless_told(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="editor").exists()
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert User.objects.filter(username="editor").exists()
