"""The "Editors" group: exactly the permissions curation needs."""

from django.db.models import Q

# app label -> model -> actions. Editors manage outlets, owners and feeds, curate
# articles into stories and grant premium; they may look up readers (to give them
# a subscription) but not change them; they cannot delete articles (ingested
# records stay), nor touch groups or API tokens (a token of a superuser would be
# a way around the admin's permissions).
EDITOR_PERMISSIONS = {
    "auth": {"user": ["view"]},
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
        "perspective": ["add", "change", "delete", "view"],
        "topic": ["add", "change", "delete", "view"],
    },
    "accounts": {"subscription": ["add", "change", "view"]},
}
GROUP_NAME = "Editors"


def ensure_editors_group(*, group_model, permission_model):
    """Create the group if missing and grant what it lacks; extra grants are kept.

    Takes the models as arguments so the data migration can pass its historical
    ones, and the post_migrate handler the current ones.
    """
    group, _ = group_model.objects.get_or_create(name=GROUP_NAME)
    wanted = Q()
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*permission_model.objects.filter(wanted))
    return group


def ensure_editors_group_after_migrate(sender, **kwargs):
    """post_migrate: keep the group whole after every migrate (and test flush).

    Connected for every app, not just this one: an app's permissions are created
    by its own post_migrate, and the group wants some of another app's.
    """
    from django.contrib.auth.models import Group, Permission

    ensure_editors_group(group_model=Group, permission_model=Permission)
