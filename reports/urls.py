"""Reports: charts and exports (the evaluation workbook lands here)."""

app_name = "reports"
urlpatterns: list = []
