"""The annual evaluation workbook (年度评估表) and its CSV, for analysts, reviewers, leaders and
administrators (a clerk, or a user without a role, gets 403; anonymous users log in first).

    GET /reports/<slug>/evaluation/<year>.xlsx[?quarter=3][&as_of=2026-10-20]
    GET /reports/<slug>/evaluation/<year>.csv  (the same parameters; sheet 1 only)

A year outside the plan, a quarter other than 1–4 (empty or 0: the whole year) or an as-of date
that is not a past YYYY-MM-DD answers 400 with the reason in the user's language.

Queries, whatever the plan's size: session, user and role (2–3), the plan (1), the evaluation's
reads (11, see `reports.evaluation.rows`).
"""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header

from indicators import access
from indicators.access import role_required
from indicators.models import Role
from reports.evaluation import query as evaluation_query
from reports.evaluation import rows as evaluation_rows
from reports.evaluation import workbook

EXPORT_ROLES = (Role.ANALYST, Role.REVIEWER, Role.LEADER, Role.ADMIN)


def _evaluation(request: HttpRequest, slug: str, year: int) -> evaluation_rows.Evaluation:
    plan = access.plan_for(request.user, slug)
    query = evaluation_query.parse_query(
        plan, year, request.GET.get("quarter"), request.GET.get("as_of")
    )
    return evaluation_rows.evaluation(plan=plan, query=query)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def _refused(error: evaluation_query.BadQuery) -> HttpResponse:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@role_required(*EXPORT_ROLES)
def evaluation_workbook(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    try:
        ev = _evaluation(request, slug, year)
    except evaluation_query.BadQuery as error:
        return _refused(error)
    return _download(
        workbook.workbook_bytes(ev), workbook.XLSX_TYPE, workbook.file_name(ev, "xlsx")
    )


@role_required(*EXPORT_ROLES)
def evaluation_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    try:
        ev = _evaluation(request, slug, year)
    except evaluation_query.BadQuery as error:
        return _refused(error)
    return _download(workbook.csv_bytes(ev), workbook.CSV_TYPE, workbook.file_name(ev, "csv"))
