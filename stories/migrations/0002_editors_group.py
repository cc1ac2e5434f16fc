"""Create the "Editors" group with exactly the permissions curation needs."""

from django.db import migrations

# app label -> model -> actions. Editors manage outlets, owners and feeds, curate
# articles into stories and grant premium; they cannot delete articles (ingested
# records stay), nor touch users, groups or API tokens (a token of a superuser
# would be a way around the admin's permissions).
EDITOR_PERMISSIONS = {
    "sources": {
        "owner": ["add", "change", "delete", "view"],
        "source": ["add", "change", "delete", "view"],
        "feed": ["add", "change", "delete", "view"],
        "article": ["add", "change", "view"],
    },
    "stories": {
        "story": ["add", "change", "delete", "view"],
        "keypoint": ["add", "change", "delete", "view"],
        "storyarticle": ["add", "change", "delete", "view"],
        "subscription": ["add", "change", "view"],
    },
}


def create_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure they
    # exist now so a fresh database gets a complete group.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    wanted = [
        (app_label, f"{action}_{model}")
        for app_label, models in EDITOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in wanted
    ]
    group.permissions.set(permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("stories", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
