"""Dashboards (the plan at a glance, an indicator, a dimension, departments) and exports."""

from django.urls import path

from reports import views, views_export, views_indicator

app_name = "reports"
urlpatterns = [
    path("plans/<slug:slug>/", views.overview, name="overview"),
    path(
        "plans/<slug:slug>/indicators/<slug:code>/",
        views_indicator.indicator_detail,
        name="indicator",
    ),
    path("plans/<slug:slug>/dimensions/<int:pk>/", views.dimension, name="dimension"),
    path("plans/<slug:slug>/departments/", views.departments, name="departments"),
    path("plans/<slug:slug>/departments/<int:pk>/", views.department, name="department"),
    path(
        "reports/<slug:slug>/evaluation/<int:year>.xlsx",
        views_export.evaluation_workbook,
        name="evaluation-xlsx",
    ),
    path(
        "reports/<slug:slug>/evaluation/<int:year>.csv",
        views_export.evaluation_csv,
        name="evaluation-csv",
    ),
]
