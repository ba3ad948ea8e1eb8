"""Dashboards (the plan at a glance, an indicator, a dimension, departments) and exports."""

from django.urls import path

from reports.views import dashboards
from reports.views import export as export_views
from reports.views import indicator as indicator_views

app_name = "reports"
urlpatterns = [
    path("plans/<slug:slug>/", dashboards.overview, name="overview"),
    path(
        "plans/<slug:slug>/indicators/<slug:code>/",
        indicator_views.indicator_detail,
        name="indicator",
    ),
    path("plans/<slug:slug>/dimensions/<int:pk>/", dashboards.dimension, name="dimension"),
    path("plans/<slug:slug>/departments/", dashboards.departments, name="departments"),
    path("plans/<slug:slug>/departments/<int:pk>/", dashboards.department, name="department"),
    path(
        "reports/<slug:slug>/evaluation/<int:year>.xlsx",
        export_views.evaluation_workbook,
        name="evaluation-xlsx",
    ),
    path(
        "reports/<slug:slug>/evaluation/<int:year>.csv",
        export_views.evaluation_csv,
        name="evaluation-csv",
    ),
]
