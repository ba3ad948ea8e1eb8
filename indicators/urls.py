from django.urls import path

from indicators.views import plan_upload as plan_upload_views
from indicators.views import plans as plan_views
from indicators.views import reporting as reporting_views
from indicators.views import review as review_views
from indicators.views import supervision as supervision_views
from indicators.views import targets as target_views
from indicators.views import todo as todo_views
from indicators.views import upload as upload_views

app_name = "indicators"
urlpatterns = [
    path("plans/<slug:slug>/indicators/", plan_views.indicator_table, name="indicator-table"),
    path("plans/<slug:slug>/plan.xlsx", plan_views.plan_workbook, name="plan-workbook"),
    path("plans/<slug:slug>/tasks/", plan_views.task_list, name="task-list"),
    # Administrators: upload a plan file, preview what loading it changes, confirm.
    path("plan-files/upload/", plan_upload_views.plan_upload, name="plan-upload"),
    # Everyone: 待办, what the daily reminders would tell them, each line linking to its page.
    path("todo/", todo_views.todo, name="todo"),
    # Clerks: what they owe, one entry form per indicator and period (written as its code:
    # 2026, 2026-M03, 2026-Q1, 2026-H1), attachments, the Excel template and its upload.
    path("reporting/", reporting_views.my_reporting, name="my-reporting"),
    path("reporting/<slug:slug>/<slug:code>/<str:period>/", reporting_views.entry, name="entry"),
    path("actuals/<int:pk>/attachment/", reporting_views.attachment, name="attachment"),
    path("reporting/template.xlsx", upload_views.download_template, name="upload-template"),
    path("reporting/upload/", upload_views.upload, name="upload"),
    # Reviewers: the queue, decisions (one or many), completeness; everyone: a value's history.
    path("review/", review_views.queue, name="review-queue"),
    path("review/decide/", review_views.decide, name="review-decide"),
    path("plans/<slug:slug>/completeness/", review_views.completeness, name="completeness"),
    path("actuals/<int:pk>/history/", review_views.history, name="actual-history"),
    # Supervision items (督办): a plan's list, opening one (reviewers, from an indicator or a
    # task), one item with its steps, answering (the department's clerks), closing and sending
    # back (reviewers), and a step's attachment.
    path(
        "plans/<slug:slug>/supervisions/", supervision_views.supervision_list, name="supervisions"
    ),
    path(
        "plans/<slug:slug>/supervisions/new/",
        supervision_views.supervision_new,
        name="supervision-new",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/",
        supervision_views.supervision_detail,
        name="supervision",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/respond/",
        supervision_views.supervision_respond,
        name="supervision-respond",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/close/",
        supervision_views.supervision_close,
        name="supervision-close",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/reopen/",
        supervision_views.supervision_reopen,
        name="supervision-reopen",
    ),
    path(
        "plans/<slug:slug>/supervisions/<int:pk>/steps/<int:step>/attachment/",
        supervision_views.supervision_attachment,
        name="supervision-attachment",
    ),
    # Reviewers and administrators, from the indicator page: a value assigned from above, the
    # judgement of a qualitative target.
    path(
        "plans/<slug:slug>/indicators/<slug:code>/assignments/",
        target_views.assignment_record,
        name="assignment-record",
    ),
    path(
        "plans/<slug:slug>/indicators/<slug:code>/judgements/",
        target_views.judgement_record,
        name="judgement-record",
    ),
]
