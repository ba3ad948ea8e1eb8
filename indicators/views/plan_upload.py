"""The plan upload page for administrators: upload a plan file (.xlsx or .yaml), see what
loading it would add, change and leave alone, then confirm.

Thin: the file is read and checked by `indicators.planfile`, previewed and loaded by
`indicators.services.plans`, and the scope is asked of `indicators.access`. Between preview and
confirmation the file stays on the server, in a private directory, under a random token that
only the uploader's session holds: the confirmation loads exactly the previewed file and never
a path the browser sends.
"""

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import access
from indicators.access import role_required
from indicators.models import Plan, Region, Role
from indicators.planfile import PlanData, PlanFileError, read_plan_file
from indicators.services.errors import ServiceError
from indicators.services.plans import plan_load, plan_preview

PAGE = "indicators/plan_upload/page.html"
SUFFIXES = (".xlsx", ".yaml", ".yml")
# A plan file is tens of rows: the cap of the clerk upload is ample.
MAX_BYTES = 5 * 1024 * 1024
# Uploaded files wait here for their confirmation; abandoned ones go after a day.
KEPT_DIR = Path(tempfile.gettempdir()) / "lucounty-plan-uploads"
KEEP_SECONDS = 24 * 60 * 60
SESSION_KEY = "plan_uploads"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class OutOfScope(Exception):
    """The file's plan lies outside the regions the user administers; the message says so."""


class PlanFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Plan file (.xlsx or .yaml)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Upload a plan workbook (.xlsx) or a plan file (.yaml)."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; a plan file is much smaller.")
                % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload


@role_required(Role.ADMIN)
def plan_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST a file: its problems, or the preview of loading it.
    POST a token (the preview's button): load the previewed file."""
    if request.method != "POST":
        return render(request, PAGE, {"form": PlanFileForm()})
    if "token" in request.POST:
        return _confirm(request)
    return _preview(request)


def _preview(request: HttpRequest) -> HttpResponse:
    form = PlanFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, PAGE, {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    token, path = _keep(upload)
    context = {"form": PlanFileForm(), "file_name": upload.name}
    try:
        data = read_plan_file(path)
        _check_scope(request.user, data)
        changes = plan_preview(data=data)
    except (PlanFileError, OutOfScope, ServiceError) as error:
        path.unlink(missing_ok=True)
        return _refused(request, context, error)
    if changes.report.changed:
        _remember(request, token, path.suffix)
        context["token"] = token
    else:
        path.unlink(missing_ok=True)  # nothing to load: nothing to keep
    return render(request, PAGE, {**context, "changes": changes})


def _confirm(request: HttpRequest) -> HttpResponse:
    path = _kept(request, request.POST["token"])
    context = {"form": PlanFileForm()}
    if path is None:
        refusal = _("This preview is no longer available; upload the file again.")
        return render(request, PAGE, {**context, "refusal": refusal}, status=400)
    try:
        data = read_plan_file(path)
        _check_scope(request.user, data)  # the scope may have changed since the preview
        plan, report = plan_load(data=data)
    except (PlanFileError, OutOfScope, ServiceError) as error:
        return _refused(request, context, error)
    finally:
        path.unlink(missing_ok=True)
    messages.success(
        request,
        _("%(plan)s loaded: %(created)s added, %(updated)s changed, %(deleted)s deleted.")
        % {
            "plan": plan.name,
            "created": report.created,
            "updated": report.updated,
            "deleted": report.deleted,
        },
    )
    return redirect("indicators:indicator-table", slug=plan.slug)


def _refused(request: HttpRequest, context: dict, error: Exception) -> HttpResponse:
    """The page again, saying why nothing was written: the file's problems (each with its
    line or cell), a plan outside the user's scope (403), or what the load refused."""
    if isinstance(error, PlanFileError):
        return render(request, PAGE, {**context, "problems": error.problems}, status=400)
    status = 403 if isinstance(error, OutOfScope) else 400
    return render(request, PAGE, {**context, "refusal": str(error)}, status=status)


def _check_scope(user, data: PlanData) -> None:
    """The file's region, and the plan's region if its slug is taken, must be administered by
    the user (ids, via access). A region that does not exist is left to the load to refuse."""
    region_id = Region.objects.filter(code=data.region).values_list("pk", flat=True).first()
    if region_id is not None and not access.administers(user, region_id):
        raise OutOfScope(
            _("You do not administer region %(code)s, the plan file's region; nothing was loaded.")
            % {"code": data.region}
        )
    current = Plan.objects.filter(slug=data.slug).values_list("region_id", flat=True).first()
    if current is not None and not access.administers(user, current):
        raise OutOfScope(
            _("A plan “%(slug)s” exists outside the regions you administer; nothing was loaded.")
            % {"slug": data.slug}
        )


# --- The uploaded file between preview and confirmation ----------------------------------


def _keep(upload) -> tuple[str, Path]:
    """Write the upload to the private directory under a new random token."""
    KEPT_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    _sweep()
    token = secrets.token_urlsafe(24)  # 32 characters
    path = KEPT_DIR / f"{token}{Path(upload.name).suffix.lower()}"
    with path.open("xb") as kept:
        for chunk in upload.chunks():
            kept.write(chunk)
    return token, path


def _sweep() -> None:
    """Delete the files of previews never confirmed."""
    limit = time.time() - KEEP_SECONDS
    for path in KEPT_DIR.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # another request swept it first
            continue


def _remember(request: HttpRequest, token: str, suffix: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    kept[token] = {"user": request.user.pk, "suffix": suffix}
    request.session[SESSION_KEY] = kept


def _kept(request: HttpRequest, token: str) -> Path | None:
    """The file this user previewed under `token`, taken out of their session; None when the
    token is not theirs, already used or its file is gone."""
    kept = request.session.get(SESSION_KEY, {})
    entry = kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    if entry is None or entry["user"] != request.user.pk or not TOKEN.match(token):
        return None
    if entry["suffix"] not in SUFFIXES:
        return None
    path = KEPT_DIR / f"{token}{entry['suffix']}"
    return path if path.is_file() else None
