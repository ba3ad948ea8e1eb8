from django.urls import path

from indicators.api import actuals, views
from indicators.api import supervision as supervision_api
from indicators.api import targets as target_api

urlpatterns = [
    path("plans/", views.PlanListApi.as_view(), name="api-plans"),
    path("plans/<slug:slug>/indicators/", views.IndicatorListApi.as_view(), name="api-indicators"),
    path("plans/<slug:slug>/tasks/", views.TaskListApi.as_view(), name="api-tasks"),
    path("plans/<slug:slug>/progress/", views.ProgressApi.as_view(), name="api-progress"),
    # What is recorded beside the table: values assigned from above, qualitative judgements.
    path(
        "plans/<slug:slug>/indicators/<slug:code>/assignments/",
        target_api.AssignmentListApi.as_view(),
        name="api-assignments",
    ),
    path(
        "plans/<slug:slug>/indicators/<slug:code>/judgements/",
        target_api.JudgementListApi.as_view(),
        name="api-judgements",
    ),
    # Supervision items (督办): list and open; answer, close, send back.
    path(
        "plans/<slug:slug>/supervisions/",
        supervision_api.SupervisionListApi.as_view(),
        name="api-supervisions",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/respond/",
        supervision_api.SupervisionRespondApi.as_view(),
        name="api-supervision-respond",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/close/",
        supervision_api.SupervisionCloseApi.as_view(),
        name="api-supervision-close",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/reopen/",
        supervision_api.SupervisionReopenApi.as_view(),
        name="api-supervision-reopen",
    ),
    path("departments/", views.DepartmentListApi.as_view(), name="api-departments"),
    path("regions/", views.RegionListApi.as_view(), name="api-regions"),
    # Reported values: list and enter, one value, its transitions and its history.
    path("actuals/", actuals.ActualListApi.as_view(), name="api-actuals"),
    path("actuals/<int:pk>/", actuals.ActualDetailApi.as_view(), name="api-actual"),
    path("actuals/<int:pk>/submit/", actuals.ActualSubmitApi.as_view(), name="api-actual-submit"),
    path(
        "actuals/<int:pk>/approve/", actuals.ActualApproveApi.as_view(), name="api-actual-approve"
    ),
    path("actuals/<int:pk>/return/", actuals.ActualReturnApi.as_view(), name="api-actual-return"),
    path(
        "actuals/<int:pk>/history/", actuals.ActualHistoryApi.as_view(), name="api-actual-history"
    ),
]
