"""Copy keys: equal on wire and syndicated copies of one text, set wherever articles are written."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from sources.copies import copy_key
from sources.models import Article
from sources.normalize import Entry
from sources.store import store_entries
from tests.factories import ArticleFactory, FeedFactory, SourceFactory

WIRE = "Harbour workers end strike after pay deal"
SUMMARY = "Dock workers in the port voted on Tuesday to accept a new contract, ending a strike."


@pytest.mark.parametrize(
    "title, summary",
    [
        (WIRE, SUMMARY),
        ("Harbour workers end strike after pay deal - Reuters", SUMMARY),
        ("HARBOUR WORKERS END STRIKE, AFTER PAY DEAL | Example Daily News", SUMMARY),
        ("  Harbour  workers end strike after pay deal — AP", SUMMARY.upper()),
    ],
)
def test_copies_of_one_text_have_one_key(title, summary):
    assert copy_key(title, summary) == copy_key(WIRE, SUMMARY)


def test_summaries_are_compared_by_their_first_thirty_words():
    """Outlets cut a wire summary at different lengths."""
    long = " ".join(f"word{n}" for n in range(30))
    assert copy_key(WIRE, long + " and then") == copy_key(WIRE, long + "; later, more")
    assert copy_key(WIRE, long) != copy_key(WIRE, long.replace("word29", "other"))


@pytest.mark.parametrize(
    "title, summary",
    [
        ("Harbour workers vote down pay deal", SUMMARY),
        (WIRE, "An entirely different account of the day in the port."),
        (WIRE, ""),
        # A numbered last segment is part of the headline, not an outlet's credit.
        ("Harbour strike - day 3", ""),
    ],
)
def test_different_texts_have_different_keys(title, summary):
    assert copy_key(title, summary) != copy_key(WIRE, SUMMARY)
    assert copy_key("Harbour strike - day 3", "") != copy_key("Harbour strike - day 4", "")


@pytest.mark.parametrize("title", ["", "   ", "— !!! —", "\u200b"])
def test_a_headline_without_words_has_no_key(title):
    assert copy_key(title, SUMMARY) is None
    assert copy_key(title, "") is None


def test_headlines_in_other_scripts_are_compared_by_their_words():
    greek = "Οι λιμενεργάτες τερματίζουν την απεργία"
    assert copy_key(greek, "") == copy_key(greek.upper() + " - Reuters", "")
    assert copy_key("港口工人结束罢工", "") == copy_key("港口工人结束罢工！", "")
    assert copy_key("港口工人结束罢工", "") != copy_key("港口工人继续罢工", "")
    assert copy_key("عمال الميناء ينهون الإضراب", "") not in (None, copy_key(greek, ""))


@pytest.mark.django_db
def test_saving_an_article_keeps_its_key_in_step():
    article = ArticleFactory(title=WIRE, summary=SUMMARY)
    assert article.copy_key == copy_key(WIRE, SUMMARY)
    article.title = "Harbour workers vote down pay deal"
    article.save(update_fields=["title"])
    assert Article.objects.get(pk=article.pk).copy_key == copy_key(article.title, SUMMARY)


@pytest.mark.django_db
def test_ingestion_sets_the_key_on_insert_and_on_update():
    feed = FeedFactory(source=SourceFactory())

    def entry(title):
        return Entry("https://news.example/a", "", title, SUMMARY, "", "", None)

    store_entries(feed, [entry(WIRE + " - Reuters")], now=timezone.now())
    assert Article.objects.get().copy_key == copy_key(WIRE, SUMMARY)
    store_entries(feed, [entry("")], now=timezone.now())
    assert Article.objects.get().copy_key is None


@pytest.mark.django_db
def test_the_migration_fills_the_keys_of_stored_articles_in_batches(monkeypatch):
    migration = importlib.import_module("sources.migrations.0009_article_copy_key")
    monkeypatch.setattr(migration, "BATCH", 2)
    source = SourceFactory()
    Article.objects.bulk_create(  # bulk_create writes no key, like rows stored before it
        Article(source=source, url=f"https://news.example/{i}", title=title, summary=SUMMARY)
        for i, title in enumerate([WIRE, WIRE + " - AP", "Other news", "", "Later news"])
    )
    assert not Article.objects.exclude(copy_key=None).exists()
    migration.fill_copy_keys(apps, None)
    keys = dict(Article.objects.values_list("title", "copy_key"))
    assert keys[WIRE] == keys[WIRE + " - AP"] == copy_key(WIRE, SUMMARY)
    assert keys[""] is None
    assert keys["Later news"] == copy_key("Later news", SUMMARY)
