"""The 待办 page (domain.md §11): what the daily reminders would tell the user, each line
linking to where it is done. What it lists is `indicators.selectors.todo`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indicators.access import role_required
from indicators.domain import periods
from indicators.selectors import todo as todo_selectors


@role_required()
def todo(request: HttpRequest) -> HttpResponse:
    today = periods.today()
    todo = todo_selectors.todo_for(request.user, today)
    # The navigation's count is this page's: no need to count again.
    context = {"todo": todo, "today": today, "todo_count": todo.count}
    return render(request, "indicators/todo/todo.html", context)
