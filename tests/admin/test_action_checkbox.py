"""The changelists' selection checkbox, written out, is what Django's widget renders."""

import pytest
from django.contrib import admin
from django.utils import translation

from sources.models import Source
from stories.models import Story
from tests.factories import SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(
    "title", ["Harbour bridge reopens", "<b>\"Quoted\"</b> & 'single' {braces}"]
)
def test_the_checkbox_is_djangos(title, language):
    story = StoryFactory(title=title)
    source = SourceFactory(name=title)
    with translation.override(language):
        for model, obj in ((Story, story), (Source, source)):
            model_admin = admin.site._registry[model]
            assert model_admin.action_checkbox(obj) == admin.ModelAdmin.action_checkbox(
                model_admin, obj
            )


def test_a_changelist_still_selects_rows(admin_client):
    story = StoryFactory(title="Harbour bridge reopens")
    html = admin_client.get("/admin/stories/story/").content.decode()
    assert f'name="_selected_action" value="{story.pk}" class="action-select"' in html
    assert 'id="action-toggle"' in html
