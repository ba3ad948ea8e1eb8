from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = _("Plans and indicators")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from indicators.signals import refuse_deleting_recorded_users

        pre_delete.connect(
            refuse_deleting_recorded_users,
            sender=get_user_model(),
            dispatch_uid="refuse_deleting_recorded_users",
        )
        _forget_cached_reads_on_writes()


def _forget_cached_reads_on_writes() -> None:
    """Any write that can change a plan's progress or a cached page makes the cached reads
    stale (`indicators.cache`)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from indicators import cache, models

    written = (
        models.Target, models.Indicator, models.Plan, models.Stage, models.Assignment,
        models.Judgement, models.Responsibility, models.Dimension, models.Department,
        models.Region, models.Project, models.Task, models.TaskDepartment, models.TaskIndicator,
    )  # fmt: skip
    for signal in (post_save, post_delete):
        for model in written:
            signal.connect(cache.data_changed, sender=model, dispatch_uid=f"cache-{model.__name__}")
        signal.connect(
            cache.supervision_changed, sender=models.Supervision, dispatch_uid="cache-Supervision"
        )
    post_save.connect(cache.value_saved, sender=models.Actual, dispatch_uid="cache-Actual-saved")
    post_delete.connect(
        cache.value_deleted, sender=models.Actual, dispatch_uid="cache-Actual-deleted"
    )
    # Cached pages name who entered and approved values.
    post_save.connect(cache.user_saved, sender=get_user_model(), dispatch_uid="cache-User")
