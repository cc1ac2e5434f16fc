"""Articles and outlets stored before thumbnails and logos existed migrate forward as they are,
waiting for a thumbnail; and plain-SQL inserts that name no picture column still work."""

import pytest
from django.db import connection

from sources.models import Article, Source

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("sources", "0005_article_headline_trigram")
AFTER = ("sources", "0006_article_thumbnail_source_logo")


def test_a_populated_database_gains_the_picture_columns(executor):
    executor.migrate([BEFORE])
    old = executor.loader.project_state(BEFORE, at_end=True).apps
    source = old.get_model("sources.Source").objects.create(name="Old Outlet", slug="old")
    old.get_model("sources.Article").objects.create(
        source=source,
        url="https://old.example/1",
        title="Old headline",
        image_url="https://cdn.old.example/1.jpg",
    )
    executor.loader.build_graph()
    executor.migrate([AFTER])
    new = executor.loader.project_state(AFTER, at_end=True).apps

    article = new.get_model("sources.Article").objects.get()
    assert (article.title, article.thumbnail.name, article.thumbnail_error) == (
        "Old headline",
        "",
        "",
    )
    assert new.get_model("sources.Source").objects.get().logo.name == ""


def test_rows_inserted_without_the_picture_columns_get_their_defaults(db):
    source = Source.objects.create(name="Outlet", slug="outlet")
    with connection.cursor() as cursor:  # as ingestion and generate_scale_data insert
        cursor.execute(
            "INSERT INTO sources_article (source_id, url, guid, title, summary, author, "
            "image_url, published_at, fetched_at, updated_at) "
            "VALUES (%s, 'https://x.example/1', '', 'T', '', '', '', %s, %s, %s)",
            [source.pk, *[connection.ops.adapt_datetimefield_value(source.created_at)] * 3],
        )
    assert Article.objects.values_list("thumbnail", "thumbnail_error").get() == ("", "")
