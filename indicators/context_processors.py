"""Template context shared by every page: the plans for the navigation bar and the user's role."""

from indicators import access


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "nav_plans": access.plans_visible_to(request.user).select_related("region"),
        "user_role": access.user_role(request.user),
    }
