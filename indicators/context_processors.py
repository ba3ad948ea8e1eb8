"""Template context shared by every page: the plans for the navigation bar and the user's role."""

from indicators import access
from indicators.selectors import plans as plan_selectors


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"nav_plans": plan_selectors.plan_list(), "user_role": access.user_role(request.user)}
