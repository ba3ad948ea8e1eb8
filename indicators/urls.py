from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("plans/<slug:slug>/indicators/", views.indicator_table, name="indicator-table"),
    path("plans/<slug:slug>/tasks/", views.task_list, name="task-list"),
]
