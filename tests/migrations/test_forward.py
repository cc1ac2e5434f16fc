"""A database from before subscriptions moved to accounts migrates forward without losing a row.

The database is taken back to the last migrations before the move, every table is given
rows through the models as they were then, and `migrate` is run the way an operator runs
it: pre_migrate, the plan, then post_migrate with the migrated state (content types,
permissions, the Editors group). Every row of every table must still be there with its
values; the subscriptions in the renamed table, read through accounts.models.Subscription;
their content type relabelled in place, so permission ids, grants and the admin's history
still point at them. Whatever happens, each test leaves the database at the leaf migrations.
"""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Subscription
from sources.models import Article, Feed, Owner, Source
from stories.editors import EDITOR_PERMISSIONS, GROUP_NAME
from stories.models import ContentVersion, KeyPoint, Story, StoryArticle, StorySource
from tests.permissions import granted

pytestmark = pytest.mark.django_db(transaction=True)

# The last migrations before the move; the accounts app had none.
BEFORE_MOVE = [
    ("sources", "0003_article_guid_message"),
    ("stories", "0003_keypoint_length"),
    ("accounts", None),
]
OLD_TABLE, NEW_TABLE = "stories_subscription", "accounts_subscription"
# Added after the move (stories.0005; key_points_text 0007): gone when migrating back
# before it, refilled forward.
STORY_COUNTERS = ("article_count", "source_count", "left_count", "center_count", "right_count")

# The Editors group's grants now, and before the move: the same, subscriptions under stories.
NOW = {
    f"{app_label}.{action}_{model}"
    for app_label, models in EDITOR_PERMISSIONS.items()
    for model, actions in models.items()
    for action in actions
}
BEFORE = {
    grant.replace("accounts.", "stories.") if grant.endswith("_subscription") else grant
    for grant in NOW
}

T0 = datetime(2026, 3, 1, 9, 30, 15, tzinfo=UTC)
T1 = datetime(2027, 3, 1, 9, 30, 15, tzinfo=UTC)


def migrate_before_move(executor):
    """Unapply the move, as `manage.py migrate` would; return the models as they were then."""
    executor.migrate(BEFORE_MOVE)
    executor.loader.build_graph()
    applied = executor.loader.applied_migrations
    assert ("stories", "0004_subscription_to_accounts") not in applied
    assert not [key for key in applied if key[0] == "accounts"]
    state = executor.loader.project_state(
        [key for key in applied if key in executor.loader.graph.nodes]
    )
    # `migrate` ends with post_migrate on the state it reached: content types and
    # permissions of the models of then.
    emit_post_migrate_signal(
        verbosity=0, interactive=False, db=connection.alias, apps=state.apps, plan=[]
    )
    return state.apps


def migrate_forward(executor):
    """What an operator runs on deploying the move: `manage.py migrate`."""
    call_command("migrate", verbosity=0, interactive=False)
    executor.loader.build_graph()
    assert set(executor.loader.graph.leaf_nodes()) <= set(executor.loader.applied_migrations)
    ContentType.objects.clear_cache()


def fill_old_database(old):
    """Rows in every table, written with the models of before the move."""
    ct_model = old.get_model("contenttypes.ContentType")
    permission_model = old.get_model("auth.Permission")

    def permission(grant):
        app_label, codename = grant.split(".")
        return permission_model.objects.get(content_type__app_label=app_label, codename=codename)

    user_model = old.get_model(settings.AUTH_USER_MODEL)
    editor = user_model.objects.create(
        username="old-editor", email="editor@example.org", password="!", is_staff=True
    )
    reader = user_model.objects.create(username="old-reader", email="r@example.org", password="!")
    group = old.get_model("auth.Group").objects.get(name=GROUP_NAME)
    group.permissions.set([permission(grant) for grant in BEFORE])
    editor.groups.add(group)
    # A grant to the user, not the group: deleting subscriptions.
    editor.user_permissions.add(permission("stories.delete_subscription"))

    owner = old.get_model("sources.Owner").objects.create(
        name="Old Owner", category="independent", country="US", notes="Family-held"
    )
    source = old.get_model("sources.Source").objects.create(
        name="Old Outlet",
        slug="old-outlet",
        domain="old.example",
        owner=owner,
        bias=-1,
        bias_rated_by="Ratings desk",
        factuality=4,
    )
    feed = old.get_model("sources.Feed").objects.create(
        source=source,
        url="https://old.example/feed.xml",
        title="Old feed",
        etag='"v1"',
        consecutive_errors=2,
        next_fetch_at=T0,
    )
    article = old.get_model("sources.Article").objects.create(
        source=source,
        feed=feed,
        url="https://old.example/a/1",
        guid="old-1",
        title="Old headline",
        summary="Kept.",
        published_at=T0,
    )
    story = old.get_model("stories.Story").objects.create(
        title="Old story", slug="old-story", status="published", published_at=T0, created_by=editor
    )
    key_point = old.get_model("stories.KeyPoint").objects.create(
        story=story, position=1, text="Nothing is lost."
    )
    story_article = old.get_model("stories.StoryArticle").objects.create(
        story=story, article=article, added_at=T0, added_by=editor
    )
    subscription = old.get_model("stories.Subscription").objects.create(
        user=reader, starts_at=T0, expires_at=T1, note="Paid by cheque"
    )
    subscription_type = ct_model.objects.get(app_label="stories", model="subscription")
    log_entry = old.get_model("admin.LogEntry").objects.create(
        user=editor,
        content_type=subscription_type,
        object_id=str(subscription.pk),
        object_repr="Premium for old-reader",
        action_flag=CHANGE,
        action_time=T0,
        change_message='[{"changed": {"fields": ["Expires at"]}}]',
    )
    token = old.get_model("authtoken.Token").objects.create(
        key="0123456789abcdef" * 2 + "f" * 8, user=reader
    )
    old.get_model("sessions.Session").objects.create(
        session_key="old-session-0123456789abcdefghij", session_data="e30:", expire_date=T1
    )
    old.get_model("web.PagesVersion").objects.create(pk=1, version=1_772_357_415_000)
    return SimpleNamespace(
        editor=editor,
        reader=reader,
        group=group,
        owner=owner,
        source=source,
        feed=feed,
        article=article,
        story=story,
        key_point=key_point,
        story_article=story_article,
        subscription=subscription,
        subscription_type=subscription_type,
        log_entry=log_entry,
        token=token,
        subscription_permissions=dict(
            permission_model.objects.filter(content_type=subscription_type).values_list(
                "codename", "pk"
            )
        ),
    )


def read_every_table():
    """{table: (columns, rows)} for every table in the database, read with plain SQL."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = tuple(column[0] for column in cursor.description)
            rows = {tuple(map(hashable, row)) for row in cursor.fetchall()}
            tables[table] = (columns, rows)
    return tables


def hashable(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, list | dict):
        return repr(value)
    return value


def project(table, columns):
    """A table's rows cut down to the given columns (later migrations may add others)."""
    have, rows = table
    assert set(columns) <= set(have), f"columns gone: {set(columns) - set(have)}"
    index = [have.index(column) for column in columns]
    return {tuple(row[i] for i in index) for row in rows}


def as_moved(tables, *, from_app, to_app):
    """The tables as moving subscriptions from one app to the other should leave them."""
    tables = dict(tables)
    tables[f"{to_app}_subscription"] = tables.pop(f"{from_app}_subscription")
    columns, rows = tables["django_content_type"]
    app_label, model = columns.index("app_label"), columns.index("model")
    relabelled = set()
    for row in rows:
        if (row[app_label], row[model]) == (from_app, "subscription"):
            row = (*row[:app_label], to_app, *row[app_label + 1 :])
        relabelled.add(row)
    tables["django_content_type"] = (columns, relabelled)
    return tables


def as_of(tables, old_apps):
    """The tables and columns that the models of old_apps have: later migrations made
    the others, and unapplying them takes them away."""
    kept = {"django_migrations"}
    columns = {}
    for model in old_apps.get_models(include_auto_created=True):
        kept.add(model._meta.db_table)
        columns[model._meta.db_table] = {
            field.column for field in model._meta.local_concrete_fields
        }
    old = {}
    for table, (have, rows) in tables.items():
        if table not in kept:
            continue
        wanted = tuple(c for c in have if table not in columns or c in columns[table])
        old[table] = (wanted, project((have, rows), wanted))
    return old


def assert_every_row_kept(expected, tables):
    for table, (columns, rows) in expected.items():
        assert table in tables, f"table {table} is gone"
        if table == "django_migrations":  # applied again after a round trip: new ids and times
            columns, rows = ("app", "name"), project((columns, rows), ("app", "name"))
        lost = rows - project(tables[table], columns)
        assert not lost, f"{table}: {len(lost)} of {len(rows)} rows lost or changed: {lost}"


def test_a_database_from_before_the_move_migrates_forward_without_losing_a_row(executor):
    # BEFORE differs from NOW only in the app of the subscription grants.
    assert {f"accounts.{a}_subscription" for a in ("add", "change", "view")} == NOW - BEFORE
    old = migrate_before_move(executor)
    assert OLD_TABLE in connection.introspection.table_names()
    assert NEW_TABLE not in connection.introspection.table_names()
    made = fill_old_database(old)
    assert len(made.subscription_permissions) == 4
    before = read_every_table()
    empty = sorted(table for table, (_, rows) in before.items() if not rows)
    assert not empty, f"fill_old_database() should give these tables rows too: {empty}"

    migrate_forward(executor)

    # Every row of every table, as plain SQL reads it: the subscriptions in their new
    # table, the content type relabelled in place, nothing else lost or changed.
    tables = read_every_table()
    assert NEW_TABLE in set(tables)
    assert OLD_TABLE not in set(tables)
    expected = as_moved(before, from_app="stories", to_app="accounts")
    # The pages version became the content version (web.0002, stories.0010): not carried
    # over, but started from the clock, above every number the old one reached.
    del expected["web_pagesversion"]
    assert "web_pagesversion" not in tables
    assert ContentVersion.current() > 1_772_357_415_000
    assert_every_row_kept(expected, tables)

    # The subscription, through the model that now owns it.
    subscription = Subscription.objects.get(pk=made.subscription.pk)
    assert (
        subscription.user_id,
        subscription.starts_at,
        subscription.expires_at,
        subscription.note,
    ) == (made.reader.pk, T0, T1, "Paid by cheque")
    assert get_user_model().objects.get(pk=made.reader.pk).subscription == subscription

    # Every other model's row, through the current models.
    kept = [
        (Owner, made.owner, ["name", "category", "country", "notes"]),
        (Source, made.source, ["slug", "domain", "owner_id", "bias", "factuality"]),
        (Feed, made.feed, ["source_id", "url", "etag", "consecutive_errors", "next_fetch_at"]),
        (Article, made.article, ["source_id", "feed_id", "url", "guid", "title", "published_at"]),
        (Story, made.story, ["slug", "status", "published_at", "created_by_id"]),
        (KeyPoint, made.key_point, ["story_id", "position", "text"]),
        (StoryArticle, made.story_article, ["story_id", "article_id", "added_at", "added_by_id"]),
        (Token, made.token, ["key", "user_id"]),
        (get_user_model(), made.editor, ["username", "email", "is_staff"]),
    ]
    for model, row, fields in kept:
        assert model.objects.values(*fields).get(pk=row.pk) == {f: getattr(row, f) for f in fields}
    # The story's counters were filled from its one article, by a Lean Left outlet, and
    # so were the outlets covering it (stories.0011) and the article's flag (stories.0013).
    assert Story.objects.values_list(*STORY_COUNTERS).get(pk=made.story.pk) == (1, 1, 1, 0, 0)
    assert list(StorySource.objects.values_list("story_id", "source_id")) == [
        (made.story.pk, made.source.pk)
    ]
    assert Article.objects.get(pk=made.article.pk).in_story
    # And its search text from its one key point (stories.0007).
    assert Story.objects.get(pk=made.story.pk).key_points_text == made.key_point.text

    # The content type was relabelled, not re-created: same id, and its permissions'.
    subscription_type = ContentType.objects.get(app_label="accounts", model="subscription")
    assert subscription_type.pk == made.subscription_type.pk
    assert subscription_type.model_class() is Subscription
    assert not ContentType.objects.filter(app_label="stories", model="subscription").exists()
    assert (
        dict(
            Permission.objects.filter(content_type=subscription_type).values_list("codename", "pk")
        )
        == made.subscription_permissions
    )

    # The Editors group: the same group, the same member, exactly the grants of now.
    group = Group.objects.get(name=GROUP_NAME)
    assert group.pk == made.group.pk
    assert granted(group) == NOW
    editor = get_user_model().objects.get(pk=made.editor.pk)
    assert list(editor.groups.all()) == [group]
    assert editor.has_perm("accounts.change_subscription")  # through the group
    assert editor.has_perm("accounts.delete_subscription")  # granted to the user
    assert not editor.has_perm("stories.change_subscription")

    # The admin's history still leads to the subscription.
    entry = LogEntry.objects.get(pk=made.log_entry.pk)
    assert entry.content_type_id == subscription_type.pk
    assert entry.get_edited_object() == subscription
    assert entry.get_admin_url() == reverse(
        "admin:accounts_subscription_change", args=[subscription.pk]
    )

    # The renamed table takes new rows, numbered after the old ones.
    newcomer = Subscription.objects.create(
        user=get_user_model().objects.create_user("after-the-move"), expires_at=T1
    )
    assert newcomer.pk > made.subscription.pk


def test_migrating_back_before_the_move_keeps_the_subscriptions(executor):
    reader = get_user_model().objects.create_user("reader-going-back")
    subscription = Subscription.objects.create(
        user=reader, starts_at=T0, expires_at=T1, note="Kept on the way back"
    )
    subscription_type = ContentType.objects.get_for_model(Subscription)
    LogEntry.objects.create(
        user=reader,
        content_type=subscription_type,
        object_id=str(subscription.pk),
        object_repr=str(subscription),
        action_flag=CHANGE,
    )
    now = read_every_table()

    old = migrate_before_move(executor)

    tables = read_every_table()
    assert OLD_TABLE in set(tables)
    assert NEW_TABLE not in set(tables)
    expected = as_moved(now, from_app="accounts", to_app="stories")
    del expected["django_migrations"]  # the move's migrations are unapplied
    expected = as_of(expected, old)
    assert_every_row_kept(expected, tables)
    old_subscription = old.get_model("stories.Subscription").objects.get(pk=subscription.pk)
    assert (
        old_subscription.user_id,
        old_subscription.starts_at,
        old_subscription.expires_at,
        old_subscription.note,
    ) == (reader.pk, T0, T1, "Kept on the way back")
    old_type = old.get_model("contenttypes.ContentType").objects.get(pk=subscription_type.pk)
    assert (old_type.app_label, old_type.model) == ("stories", "subscription")
    old_group = old.get_model("auth.Group").objects.get(name=GROUP_NAME)
    assert {
        f"{p.content_type.app_label}.{p.codename}"
        for p in old_group.permissions.select_related("content_type")
    } == BEFORE

    # And forward again: everything as it was before the round trip, but what later
    # migrations make anew: the content version (from the clock) and the outlets covering
    # each story (refilled from the articles, under new ids).
    migrate_forward(executor)
    tables = read_every_table()
    again = {**now}
    del again["stories_contentversion"]
    again["stories_storysource"] = (
        ("story_id", "source_id"),
        project(now["stories_storysource"], ("story_id", "source_id")),
    )
    assert_every_row_kept(again, tables)
    assert Subscription.objects.get(pk=subscription.pk).note == "Kept on the way back"
    assert ContentType.objects.get_for_model(Subscription).pk == subscription_type.pk
    assert granted(Group.objects.get(name=GROUP_NAME)) == NOW
