"""The Editors group holds exactly the curation permissions and survives every migrate."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from stories.editors import EDITOR_PERMISSIONS
from tests.permissions import granted

pytestmark = pytest.mark.django_db

EXPECTED = {
    f"{app_label}.{action}_{model}"
    for app_label, models in EDITOR_PERMISSIONS.items()
    for model, actions in models.items()
    for action in actions
}


def test_the_data_migration_grants_exactly_the_curation_permissions():
    assert granted(Group.objects.get(name="Editors")) == EXPECTED


def test_editors_cannot_touch_tokens_groups_or_delete_articles():
    permissions = granted(Group.objects.get(name="Editors"))
    assert "authtoken.add_token" not in permissions
    assert "auth.change_group" not in permissions
    assert "auth.change_user" not in permissions
    assert "sources.delete_article" not in permissions


def test_migrate_restores_a_deleted_group_and_keeps_extra_grants():
    from django.contrib.auth.models import Permission

    Group.objects.filter(name="Editors").delete()
    call_command("migrate", verbosity=0)
    group = Group.objects.get(name="Editors")
    assert granted(group) == EXPECTED

    extra = Permission.objects.get(codename="delete_subscription")
    group.permissions.add(extra)
    call_command("migrate", verbosity=0)
    assert granted(group) == EXPECTED | {"accounts.delete_subscription"}
