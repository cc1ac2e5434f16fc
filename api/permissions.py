"""Who may do what over the API: everyone reads, editors write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

CHANGE_STORY = "stories.change_story"
ADD_STORY = "stories.add_story"


def is_editor(user) -> bool:
    """Staff with the permission to change stories: the people who curate in the admin.

    Readers are never staff, so for them this costs no query.
    """
    return bool(
        user and user.is_authenticated and user.is_active and user.is_staff
    ) and user.has_perm(CHANGE_STORY)


class EditorsMayWrite(BasePermission):
    """Reads are public; writes need the model permission for the action, as in the admin."""

    message = "Only editors may change stories."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        needed = ADD_STORY if getattr(view, "action", None) == "create" else CHANGE_STORY
        return is_editor(request.user) and request.user.has_perm(needed)
