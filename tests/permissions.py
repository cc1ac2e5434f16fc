"""What a group is granted, as "app_label.codename" strings, for tests of the Editors group."""


def granted(group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
