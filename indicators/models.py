"""The plan and its actuals.

Models hold data, constraints and small properties; the rules that compute progress live in
`indicators.domain`, the writes in `indicators.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from indicators import attachments
from indicators.domain import periods, regions, warnings

DECIMAL = {"max_digits": 20, "decimal_places": 4}


class Region(models.Model):
    """A 行政区划 (domain.md §8): a province, city, county or town, by its GB/T 2260 code.

    Regions are written by `add_region`/`load_regions` (services.regions), which check the code
    and the parent; codes are never reused for another place, so a region is never deleted
    while anything belongs to it (PROTECT)."""

    code = models.CharField(_("code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=[(level, regions.LEVEL_LABELS[level]) for level in regions.LEVELS],
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=regions.LEVELS), name="region_level_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Plan(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="plans", verbose_name=_("region")
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    milestone_years = models.JSONField(_("milestone years"), default=list)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("reporting deadline (days after a period ends)"), default=15
    )
    # The statistics bureau's annual figures come out the next spring: a whole-year figure is
    # due on this day of the year after (domain.md §10).
    annual_deadline_month = models.PositiveSmallIntegerField(
        _("annual figures due (month of the next year)"), default=3
    )
    annual_deadline_day = models.PositiveSmallIntegerField(
        _("annual figures due (day)"), default=31
    )
    first_tracked_year = models.PositiveSmallIntegerField(
        _("first tracked year"),
        null=True,
        blank=True,
        help_text=_("empty: the year after the baseline year"),
    )
    example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("the figures are made up, to show how a plan is tracked"),
    )
    # The monitoring loop (domain.md §11): a supervision item opens by itself when an approval
    # turns a binding indicator red; reminders tell of values falling due this many days ahead.
    auto_supervise = models.BooleanField(
        _("open a supervision item when a binding indicator turns red"), default=True
    )
    supervision_days = models.PositiveSmallIntegerField(
        _("days to answer a supervision item opened by itself"), default=10
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind of values falling due within (days)"), default=5
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    @property
    def first_year(self) -> int:
        """The first tracked year (§10): values are owed from it on; by default the year after
        the baseline year, whose printed baseline already sums it up."""
        return self.first_tracked_year or self.baseline_year + 1

    @property
    def last_year(self) -> int:
        """The plan's last year: its last target year."""
        return max([self.baseline_year, *self.milestone_years])

    @property
    def annual_deadline(self) -> tuple[int, int]:
        """(month, day) of the year after by which whole-year figures are due (§10)."""
        return self.annual_deadline_month, self.annual_deadline_day


class Dimension(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="dimension_unique_name"),
            models.UniqueConstraint(fields=["plan", "order"], name="dimension_unique_order"),
        ]

    def __str__(self):
        return self.name


class Kind(models.TextChoices):
    LEVEL = "level", _("level at period end")
    CUMULATIVE = "cumulative", _("cumulative since the baseline year")
    ANNUAL_TOTAL = "annual_total", _("annual total (year to date)")
    RATE = "rate", _("rate (year to date, %)")
    ZERO_EVENT = "zero_event", _("zero events")
    MILESTONE = "milestone", _("milestone stages")


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Path(models.TextChoices):
    LINEAR = "linear", _("linear")
    GEOMETRIC = "geometric", _("geometric (compound growth)")


class Frequency(models.TextChoices):
    """How often an indicator is reported (domain.md §10); the codes are periods.FREQUENCIES."""

    MONTHLY = "monthly", pgettext_lazy("frequency", "monthly")
    QUARTERLY = "quarterly", pgettext_lazy("frequency", "quarterly")
    HALF_YEARLY = "half_yearly", pgettext_lazy("frequency", "half-yearly")
    ANNUAL = "annual", pgettext_lazy("frequency", "annual")


class Indicator(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("dimension")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    path = models.CharField(_("path"), max_length=10, choices=Path.choices, default=Path.LINEAR)
    binding = models.BooleanField(_("binding"), default=False)
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    may_be_negative = models.BooleanField(
        _("may fall below zero"),
        default=False,
        help_text=_("an amount such as a balance that the plan allows to be negative"),
    )
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **DECIMAL)
    baseline_text = models.CharField(
        _("baseline as printed"), max_length=60, blank=True, help_text=_("empty: the number")
    )
    baseline_note = models.CharField(_("baseline note"), max_length=200, blank=True)
    reason = models.CharField(_("why this kind and path"), max_length=300, blank=True)
    catalogue_code = models.CharField(_("catalogue code"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code"),
            models.UniqueConstraint(fields=["plan", "order"], name="indicator_unique_order"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="indicator_kind_valid"),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(condition=Q(path__in=Path.values), name="indicator_path_valid"),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="indicator_frequency_valid"
            ),
        ]

    def __str__(self):
        return self.printed_name

    @property
    def printed_name(self) -> str:
        """The name as the plan prints it: the unit in full-width brackets at the end."""
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class Stage(models.Model):
    """One ordered stage of a `milestone` indicator (e.g. 成功注册, 省内外知名)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="stages", verbose_name=_("indicator")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=60)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["indicator", "position"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "position"], name="stage_unique_position"),
            models.UniqueConstraint(fields=["indicator", "label"], name="stage_unique_label"),
        ]

    def __str__(self):
        return self.label


class Origin(models.TextChoices):
    TABLE = "table", _("the indicator table")
    TEXT = "text", _("the plan text")


class Form(models.TextChoices):
    """How a target is printed and therefore evaluated (domain.md §9)."""

    PLAIN = "plain", _("a value to reach")
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    ABOUT = "about", _("about")
    BETWEEN = "between", _("between")
    PER_YEAR = "per_year", _("yearly average")
    TOTAL = "total", _("total over the period")
    ASSIGNED = "assigned", _("as assigned from above")
    RELATIVE = "relative", _("in step with another indicator")
    QUALITATIVE = "qualitative", _("qualitative")


class Compound(models.TextChoices):
    GROWTH = "growth", _("growth")
    REDUCTION = "reduction", _("reduction")


class Target(models.Model):
    """One cell of the plan's table (or a target stated in its text): the text as printed, and
    the form read from it. `value` is T; `lower`/`upper` bound a range; `reference` is the
    indicator a `relative` target keeps in step with."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.CharField(_("target as printed"), max_length=60)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices, default=Form.PLAIN)
    value = models.DecimalField(_("value"), null=True, blank=True, **DECIMAL)
    lower = models.DecimalField(_("lower bound"), null=True, blank=True, **DECIMAL)
    upper = models.DecimalField(_("upper bound"), null=True, blank=True, **DECIMAL)
    strict = models.BooleanField(_("strict"), default=False)
    tolerance = models.DecimalField(_("tolerance"), null=True, blank=True, **DECIMAL)
    compound = models.CharField(
        _("growth or reduction"), max_length=10, blank=True, choices=Compound.choices
    )
    reference = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referenced indicator"),
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("stage")
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    clause = models.TextField(_("clause"), blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year"),
            models.CheckConstraint(condition=Q(form__in=Form.values), name="target_form_valid"),
            # A number or a stage, never both; the forms without a number have neither.
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(stage__isnull=True),
                name="target_value_or_stage",
            ),
            models.CheckConstraint(
                condition=~Q(form="plain") | Q(value__isnull=False) | Q(stage__isnull=False),
                name="target_plain_has_value",
            ),
            models.CheckConstraint(
                condition=~Q(form="between")
                | Q(lower__isnull=False, upper__isnull=False, lower__lt=models.F("upper")),
                name="target_between_bounds",
            ),
            models.CheckConstraint(
                condition=~Q(form="relative") | Q(reference__isnull=False),
                name="target_relative_reference",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}"


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("county bureau")
    TOWN = "town", _("town collective")
    OTHER = "other", _("other")


class WebhookKind(models.TextChoices):
    """The message format of a department's group robot."""

    WECOM = "wecom", _("WeCom (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk (钉钉)")


class Department(models.Model):
    """A unit that leads, shares or reports indicators; its name is unique within its region
    only (every county has a 县人社局), so a name is always looked up within a region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=DepartmentKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The department's group robot (§11): reminders go there too when an administrator sets it.
    webhook_url = models.URLField(_("group robot webhook"), max_length=500, blank=True)
    webhook_kind = models.CharField(
        _("group robot"), max_length=10, choices=WebhookKind.choices, default=WebhookKind.WECOM
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region__code", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="department_unique_name_in_region"
            ),
        ]

    def __str__(self):
        return self.name


class Project(models.Model):
    """A 重点工程 of the plan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="projects", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_unique_number"),
        ]

    def __str__(self):
        return self.name


class Task(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("project")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    text = models.TextField(_("text"))
    clause = models.CharField(_("department clause"), max_length=300)
    indicators = models.ManyToManyField(
        Indicator, through="TaskIndicator", related_name="tasks", verbose_name=_("indicators")
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="task_unique_name"),
            models.UniqueConstraint(fields=["project", "order"], name="task_unique_order"),
        ]

    def __str__(self):
        return self.name


class TaskRole(models.TextChoices):
    LEAD = "lead", _("lead")
    RESPONSIBLE = "responsible", _("responsible")


class TaskDepartment(models.Model):
    """A department named in a task's clause, as lead (explicit or inferred) or responsible."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="departments", verbose_name=_("task")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=12, choices=TaskRole.choices)
    inferred = models.BooleanField(_("inferred lead"), default=False)
    position = models.PositiveSmallIntegerField(_("position in the clause"))

    class Meta:
        verbose_name = _("task department")
        verbose_name_plural = _("task departments")
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"], name="taskdepartment_unique_department"
            ),
            models.CheckConstraint(
                condition=Q(role=TaskRole.LEAD) | Q(inferred=False),
                name="taskdepartment_only_lead_inferred",
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.department}"


class TaskIndicator(models.Model):
    """The plan's text of a task states this indicator's target."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, verbose_name=_("task"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, verbose_name=_("indicator"))
    clause = models.TextField(_("clause"))

    class Meta:
        verbose_name = _("task indicator")
        verbose_name_plural = _("task indicators")
        constraints = [
            models.UniqueConstraint(fields=["task", "indicator"], name="taskindicator_unique"),
        ]

    def __str__(self):
        return f"{self.task} → {self.indicator}"


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", _("lead")
    RESPONSIBLE = "responsible", _("responsible")
    DATA_SOURCE = "data_source", _("data source")


class ResponsibilityOrigin(models.TextChoices):
    TASK = "task", _("the task clause")
    TABLE = "table", _("the indicator table")
    ADMIN = "admin", _("an administrator's decision")


class Responsibility(models.Model):
    """A department's role for an indicator, and where that role came from.

    Rows of origin `table` (the table's 牵头单位/责任单位/数据来源单位 columns) and `task` are
    rewritten by every plan load; rows of origin `admin` are decisions taken in the admin and are
    never touched by a load.
    """

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("indicator"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="responsibilities",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=12, choices=ResponsibilityRole.choices)
    origin = models.CharField(_("origin"), max_length=10, choices=ResponsibilityOrigin.choices)
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("task")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=100, help_text=_("the order in which the plan names the unit")
    )

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["indicator", "role", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "department", "role"], name="responsibility_unique"
            ),
            models.CheckConstraint(
                condition=~Q(origin=ResponsibilityOrigin.TASK) | Q(task__isnull=False),
                name="responsibility_task_origin_has_task",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.department} ({self.get_role_display()})"


class ActualState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class WillMeet(models.TextChoices):
    """Whether the milestone will still be met, in a 滞后说明 (warnings.WILL_MEET)."""

    YES = warnings.WILL_MEET_YES, _("will be met")
    AT_RISK = warnings.WILL_MEET_AT_RISK, _("at risk")
    NO = warnings.WILL_MEET_NO, _("will not be met")


def attachment_path(actual, filename: str) -> str:
    """Where an attachment is stored: under a random name keeping only its allow-listed
    extension (`attachments.stored_name`); nothing the uploader typed reaches the path."""
    name = attachments.stored_name(filename)
    return f"attachments/{actual.indicator.plan.slug}/{actual.year}/{name}"


class Actual(models.Model):
    """A reported value for one indicator and period (a quarter, or a whole year).

    Two figures live on one row: the working copy (value, stage, source, note, attachment),
    which a clerk edits and submits, and the figure in force (approved_*), which only an
    approval writes. Dashboards and exports read the figure in force, so a correction under
    review never replaces an approved value before it is itself approved.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="actuals", verbose_name=_("indicator")
    )
    # The period (domain.md §10, periods.Period): the year and at most one of month, quarter,
    # half, by the indicator's frequency; none of them is the statistics bureau's whole-year
    # figure.
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    half = models.PositiveSmallIntegerField(_("half-year"), null=True, blank=True)
    value = models.DecimalField(_("value"), null=True, blank=True, **DECIMAL)
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("stage")
    )
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, max_length=300, blank=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ActualState.choices, default=ActualState.DRAFT
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_value = models.DecimalField(_("value in force"), null=True, blank=True, **DECIMAL)
    approved_stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stage in force"),
    )
    approved_source = models.CharField(_("source in force"), max_length=300, blank=True)
    # The attachment of the figure in force: a correction keeps its own (`attachment`) until it
    # is approved, so what those who see only figures in force download does not change before.
    approved_attachment = models.FileField(
        _("attachment in force"), upload_to=attachment_path, max_length=300, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The 滞后说明 (domain.md §11) of the working copy and of the figure in force: a value that
    # turns the light yellow or red is submitted with one, and the approval brings it into force.
    lag_cause = models.TextField(_("cause of the lag"), blank=True)
    lag_measures = models.TextField(_("measures"), blank=True)
    lag_will_meet = models.CharField(
        _("milestone will be met"), max_length=8, choices=WillMeet.choices, blank=True
    )
    approved_lag_cause = models.TextField(_("cause of the lag in force"), blank=True)
    approved_lag_measures = models.TextField(_("measures in force"), blank=True)
    approved_lag_will_meet = models.CharField(
        _("milestone will be met (in force)"), max_length=8, choices=WillMeet.choices, blank=True
    )
    history = HistoricalRecords(verbose_name=_("historical actual"), excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            # One current value per indicator and period; a whole-year figure has none of
            # month, quarter and half.
            models.UniqueConstraint(
                fields=["indicator", "year", "month"],
                condition=Q(month__isnull=False),
                name="actual_unique_month",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="actual_unique_quarter",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "half"],
                condition=Q(half__isnull=False),
                name="actual_unique_half",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(month__isnull=True, quarter__isnull=True, half__isnull=True),
                name="actual_unique_whole_year",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="actual_month_1_to_12",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="actual_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(half__isnull=True) | Q(half__gte=1, half__lte=2),
                name="actual_half_1_or_2",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True, quarter__isnull=True)
                | Q(month__isnull=True, half__isnull=True)
                | Q(quarter__isnull=True, half__isnull=True),
                name="actual_one_kind_of_period",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False, stage__isnull=True)
                | Q(value__isnull=True, stage__isnull=False),
                name="actual_value_xor_stage",
            ),
            models.CheckConstraint(
                condition=Q(approved_value__isnull=True) | Q(approved_stage__isnull=True),
                name="actual_approved_value_or_stage",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ActualState.values), name="actual_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period.label()}"

    @property
    def period(self) -> periods.Period:
        return periods.Period.from_fields(
            self.year, month=self.month, quarter=self.quarter, half=self.half
        )

    @property
    def in_force(self) -> bool:
        """Whether an approved figure stands for this period."""
        return self.approved_value is not None or self.approved_stage_id is not None

    # What cached reads (indicators.cache) read of a value, by aspect: pages of figures in
    # force, and completeness (who submitted when). A save that changes an aspect makes the
    # reads of that aspect stale.
    CACHED_ASPECTS = {
        "in-force": (
            "approved_value", "approved_stage_id", "approved_lag_cause", "approved_lag_measures",
            "approved_lag_will_meet", "year", "month", "quarter", "half", "indicator_id",
        ),
        "first-submitted": (
            "first_submitted_at", "year", "month", "quarter", "half", "indicator_id",
        ),
    }  # fmt: skip

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_aspects()
        return instance

    def _aspects_now(self) -> dict[str, tuple | None]:
        """Each aspect's fields as they are (None when a field was deferred: assume it
        changed)."""
        loaded = self.__dict__
        return {
            aspect: None
            if any(field not in loaded for field in fields)
            else tuple(loaded[field] for field in fields)
            for aspect, fields in self.CACHED_ASPECTS.items()
        }

    def changed_aspects(self) -> set[str]:
        """The aspects that saving this row changed since it was loaded (or last saved); a
        new row changes those it is created with: submitted, approved."""
        before = getattr(self, "_aspects_loaded", None)
        if before is None:
            created = {"first-submitted": self.first_submitted_at, "in-force": self.in_force}
            return {aspect for aspect, present in created.items() if present}
        now = self._aspects_now()
        return {a for a, fields in now.items() if fields is None or fields != before[a]}

    def remember_aspects(self) -> None:
        """After loading or saving: the state later saves compare with."""
        self._aspects_loaded = self._aspects_now()


class Assignment(models.Model):
    """The value a higher level assigned for one year to an `assigned` target (完成市下达任务):
    recorded during the plan by a reviewer or an administrator, with the assigning document."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("assigned value"), **DECIMAL)
    document = models.CharField(_("assigning document"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("historical assignment"))

    class Meta:
        verbose_name = _("assigned value")
        verbose_name_plural = _("assigned values")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="assignment_unique_year"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}"


class Judgement(models.Model):
    """A reviewer's judgement of a `qualitative` target for one year: met (达到) or not."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="judgements",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    met = models.BooleanField(_("met"))
    note = models.CharField(_("note"), max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("historical judgement"))

    class Meta:
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="judgement_unique_year"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}"


class Role(models.TextChoices):
    """The roles of domain.md §6; each is a Django group of the same name."""

    CLERK = "clerk", _("data clerk")
    REVIEWER = "reviewer", _("reviewer")
    LEADER = "leader", _("leader")
    ANALYST = "analyst", _("analyst")
    ADMIN = "admin", _("administrator")


class Profile(models.Model):
    """What the platform knows about a user beyond Django's auth: their scope region (none:
    the whole platform) and, for a clerk, their department (whose region is their scope)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("scope region"),
        help_text=_("empty: the whole platform"),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class SupervisionState(models.TextChoices):
    """A supervision item's state (warnings.SUPERVISION_STATES)."""

    OPEN = warnings.OPEN, _("open")
    RESPONDED = warnings.RESPONDED, _("answered")
    CLOSED = warnings.CLOSED, _("closed")


class Supervision(models.Model):
    """A 督办 item (domain.md §11): the leadership group's office asks the lead department of an
    indicator or a task for action by a due date. Its colour is computed from its state, due
    date and today (`warnings.supervision_colour`), never stored."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("plan")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisions",
        verbose_name=_("indicator"),
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisions",
        verbose_name=_("task"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="supervisions",
        verbose_name=_("department"),
    )
    requirement = models.TextField(_("requirement"))
    due = models.DateField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=SupervisionState.choices, default=SupervisionState.OPEN
    )
    # Opened by itself when an approval turned a binding indicator red; the period it was for.
    automatic = models.BooleanField(_("opened by itself"), default=False)
    period = models.CharField(_("period"), max_length=12, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, task__isnull=True)
                | Q(indicator__isnull=True, task__isnull=False),
                name="supervision_indicator_xor_task",
            ),
            models.CheckConstraint(
                condition=Q(state__in=SupervisionState.values), name="supervision_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["plan", "state"], name="supervision_plan_state")]

    def __str__(self):
        return f"{self.indicator or self.task}: {self.requirement[:30]}"

    def colour(self, today) -> str | None:
        return warnings.supervision_colour(self.state, self.due, today)


class SupervisionAction(models.TextChoices):
    OPEN = "open", _("opened")
    RESPOND = "respond", _("answered")
    CLOSE = "close", _("closed")
    REOPEN = "reopen", _("sent back")


def supervision_attachment_path(step, filename: str) -> str:
    """Like a value's attachment: a random name keeping only an allow-listed extension."""
    return f"supervision/{step.supervision.plan.slug}/{attachments.stored_name(filename)}"


class SupervisionStep(models.Model):
    """One step of a supervision item, kept for good: who, when, what, and what they wrote."""

    supervision = models.ForeignKey(
        Supervision,
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("supervision item"),
    )
    action = models.CharField(_("action"), max_length=10, choices=SupervisionAction.choices)
    text = models.TextField(_("text"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=supervision_attachment_path, max_length=300, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("supervision step")
        verbose_name_plural = _("supervision steps")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.supervision_id} {self.action} {self.at:%Y-%m-%d}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("value falling due")
    OVERDUE = "overdue", _("value overdue")
    SUPERVISION_DUE = "supervision_due", _("supervision item falling due")
    SUPERVISION_OVERDUE = "supervision_overdue", _("supervision item overdue")


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WECOM = WebhookKind.WECOM.value, WebhookKind.WECOM.label
    DINGTALK = WebhookKind.DINGTALK.value, WebhookKind.DINGTALK.label


class Reminder(models.Model):
    """One reminder sent (or tried) about one item to one department by one channel: what it
    said, to whom, when, and whether it failed. At most one successful sending per item, kind,
    channel and day; a failed one is tried again on the next run."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("department")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    # What it is about: "value:<indicator id>:<period code>" or "supervision:<id>".
    item = models.CharField(_("item"), max_length=80)
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=10, choices=ReminderChannel.choices)
    recipients = models.TextField(_("recipients"))
    text = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent at"))
    failed = models.BooleanField(_("failed"), default=False)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "id"]
        indexes = [models.Index(fields=["day", "department"], name="reminder_day_department")]

    def __str__(self):
        return f"{self.department} {self.kind} {self.item} {self.day}"
