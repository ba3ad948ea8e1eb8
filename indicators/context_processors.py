"""Template context shared by every page: the plans for the navigation bar, the user's role and
the number of lines of their 待办."""

from django.utils.functional import SimpleLazyObject

from indicators import access
from indicators.domain import periods
from indicators.selectors.todo import todo_count


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "nav_plans": access.plans_visible_to(request.user).select_related("region"),
        "user_role": access.user_role(request.user),
        # Counted only where a page shows it (base.html's 待办 link), once per page.
        "todo_count": SimpleLazyObject(lambda: todo_count(request.user, periods.today())),
    }
