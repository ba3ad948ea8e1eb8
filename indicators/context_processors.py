"""Template context shared by every page: the plans for the navigation bar and the user's role."""

from indicators import selectors


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"nav_plans": selectors.plan_list(), "user_role": selectors.user_role(request.user)}
