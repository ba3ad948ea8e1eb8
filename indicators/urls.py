from django.urls import path

from indicators import views, views_reporting, views_review, views_upload

app_name = "indicators"
urlpatterns = [
    path("plans/<slug:slug>/indicators/", views.indicator_table, name="indicator-table"),
    path("plans/<slug:slug>/tasks/", views.task_list, name="task-list"),
    # Clerks: their quarter's reporting, one entry form per indicator and period
    # (quarter 0 = the whole year), attachments, the Excel template and its upload.
    path("reporting/", views_reporting.my_reporting, name="my-reporting"),
    path(
        "reporting/<slug:slug>/<slug:code>/<int:year>/<int:quarter>/",
        views_reporting.entry,
        name="entry",
    ),
    path("actuals/<int:pk>/attachment/", views_reporting.attachment, name="attachment"),
    path("reporting/template.xlsx", views_upload.download_template, name="upload-template"),
    path("reporting/upload/", views_upload.upload, name="upload"),
    # Reviewers: the queue, decisions (one or many), completeness; everyone: a value's history.
    path("review/", views_review.queue, name="review-queue"),
    path("review/decide/", views_review.decide, name="review-decide"),
    path("plans/<slug:slug>/completeness/", views_review.completeness, name="completeness"),
    path("actuals/<int:pk>/history/", views_review.history, name="actual-history"),
]
