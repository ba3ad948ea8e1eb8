"""The Django admin covers every model, in Chinese; actuals are view-only there."""

import pytest
from django.apps import apps
from django.contrib import admin

# Historical records are read through their model's "history" page (SimpleHistoryAdmin).
MODELS = [
    m
    for m in apps.get_app_config("indicators").get_models()
    if not m.__name__.startswith("Historical")
]


def test_every_model_is_registered():
    assert [m for m in MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_opens_in_chinese(client, plan, model):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    url = f"/admin/indicators/{model._meta.model_name}/"
    response = client.get(url)
    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural) in response.content.decode()


def test_admin_index_names_the_app_in_chinese(client, plan):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    assert "规划与指标" in client.get("/admin/").content.decode()
