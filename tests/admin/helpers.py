"""Reading admin pages the way a browser would."""

import lxml.html
from django.contrib.messages import get_messages
from django.urls import reverse

ARTICLES = reverse("admin:sources_article_changelist")
STORIES = reverse("admin:stories_story_changelist")


def listed(client, model: str, **params) -> list:
    """The rows of the changelist of model ("sources_source") filtered by params."""
    url = reverse(f"admin:{model}_changelist")
    return list(client.get(url, params).context["cl"].result_list)


def form_data(response, form_id: str) -> dict:
    """The values a browser would submit for the form, unchanged."""
    form = lxml.html.fromstring(response.content.decode()).get_element_by_id(form_id)
    values = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    data = {name: v[0] if len(v) == 1 else v for name, v in values.items()}
    # lxml leaves out inputs without a value attribute; a browser sends them empty.
    for field in form.inputs:
        if field.tag == "input" and field.type in ("text", "url", "number") and field.name:
            data.setdefault(field.name, "")
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def errors_of(response) -> str:
    """Every error text the admin page shows (lists with class errorlist), joined."""
    page = lxml.html.fromstring(response.content.decode())
    return " ".join(node.text_content() for node in page.find_class("errorlist"))


def action(name: str, objects, **extra) -> dict:
    """The changelist POST that runs an action on these objects."""
    return {"action": name, "index": "0", "_selected_action": [obj.pk for obj in objects]} | extra


def row_of(data: dict, prefix: str, obj) -> str:
    """The form prefix of the inline row that holds obj, e.g. "key_points-2"."""
    (key,) = [
        k
        for k, v in data.items()
        if k.startswith(f"{prefix}-") and k.endswith("-id") and v == str(obj.pk)
    ]
    return key.removesuffix("-id")
