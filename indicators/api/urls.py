from django.urls import path

from indicators.api import views

urlpatterns = [
    path("plans/", views.PlanListApi.as_view(), name="api-plans"),
    path("plans/<slug:slug>/indicators/", views.IndicatorListApi.as_view(), name="api-indicators"),
    path("plans/<slug:slug>/tasks/", views.TaskListApi.as_view(), name="api-tasks"),
    path("plans/<slug:slug>/progress/", views.ProgressApi.as_view(), name="api-progress"),
    path("departments/", views.DepartmentListApi.as_view(), name="api-departments"),
]
