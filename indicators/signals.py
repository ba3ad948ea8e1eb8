"""A user who appears in any history is never deleted (domain.md §5: every change keeps who
made it). django-simple-history would set its records' `history_user` to null; this guard
refuses the deletion instead, on every route (the admin, the ORM, a shell), so that deleting
fails loudly and the user is deactivated instead (“有效” unticked). The admin asks the same rule
first (`UserAdmin.get_deleted_objects`) to say so on its confirmation page."""

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy

from indicators.selectors.history import user_in_history

RECORDED_USER = gettext_lazy(
    "This user appears in the history of the data and cannot be deleted; deactivate them "
    "instead (untick “Active”)."
)


def refuse_deleting_recorded_users(sender, instance, **kwargs) -> None:
    """pre_delete of the user model: ProtectedError if the user appears in any history."""
    records = user_in_history(instance)
    if records:
        raise ProtectedError(str(RECORDED_USER), set(records))
