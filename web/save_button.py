"""The story page's Save/Unsave button, filled in per logged-in reader around the cached page.

The story's main content is cached per audience, not per reader, so it holds the
anonymous version of web/_save_story.html between two markers; a logged-in
reader's response gets their own form (CSRF token, saved or not) in its place.
Anonymous readers' whole cached pages are left as they are.
"""

import re

from django.template.loader import render_to_string

from accounts.reading import visit_story

SLOT = re.compile(rb"<!--save-story-->.*?<!--/save-story-->", re.DOTALL)


def with_save_button(request, response, *, slug: str):
    """Fill in the reader's button, and record the read for readers who opted in."""
    if not request.user.is_authenticated or response.status_code != 200:
        return response
    saved = visit_story(user=request.user, slug=slug)
    if saved is None:
        return response
    context = {"save_state": {"slug": slug, "saved": saved}}
    button = render_to_string("web/_save_story.html", context, request).encode()
    response.content = SLOT.sub(lambda _: button, response.content, count=1)
    return response
