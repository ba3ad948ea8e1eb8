"""Read API: one view per operation, login required (session or token)."""

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators import access
from indicators.api import serializers
from indicators.selectors import plans as plan_selectors
from indicators.selectors import progress as progress_selectors


class PlanListApi(APIView):
    def get(self, request: Request) -> Response:
        plans = access.plans_visible_to(request.user).select_related("region")
        return Response(serializers.PlanSerializer(plans, many=True).data)


class IndicatorListApi(APIView):
    def get(self, request: Request, slug: str) -> Response:
        plan = access.plan_for(request.user, slug)
        indicators = plan_selectors.indicator_tree(plan=plan)
        return Response(serializers.IndicatorSerializer(indicators, many=True).data)


class TaskListApi(APIView):
    def get(self, request: Request, slug: str) -> Response:
        plan = access.plan_for(request.user, slug)
        tasks = plan_selectors.task_list(plan=plan)
        return Response(serializers.TaskSerializer(tasks, many=True).data)


class DepartmentListApi(APIView):
    def get(self, request: Request) -> Response:
        departments = access.departments_visible_to(request.user)
        return Response(serializers.DepartmentSerializer(departments, many=True).data)


class RegionListApi(APIView):
    def get(self, request: Request) -> Response:
        regions = access.regions_visible_to(request.user).select_related("parent")
        return Response(serializers.RegionSerializer(regions, many=True).data)


class ProgressApi(APIView):
    """Where each indicator stands against the schedule in a period."""

    def get(self, request: Request, slug: str) -> Response:
        plan = access.plan_for(request.user, slug)
        query = serializers.PeriodQuerySerializer(data=request.query_params, context={"plan": plan})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = progress_selectors.progress_rows(
            plan=plan, period=data["period"], include_pending=data["include_pending"]
        )
        return Response(serializers.progress_payload(plan, data, rows))
