"""send_reminders (催报 / 催办, domain.md §11): what each department is reminded of, by e-mail
to its clerks (Django's mail outbox) and by its group robot (a local HTTP receiver on
127.0.0.1), at most once per item, kind, channel and day, every sending recorded."""

import json
import smtplib
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from indicators.domain import reminders as rules
from indicators.models import (
    Actual,
    ActualState,
    Department,
    Indicator,
    Reminder,
    Supervision,
    SupervisionState,
)
from indicators.selectors.reminders import reminders_due
from indicators.services import reminders as reminder_services
from indicators.services.reminders import send_reminders
from indicators.services.users import user_set_role
from tests.factories import make_synthetic_plan, synthetic_region

# 2026 Q2 is due on 15 July (3 days left); 2026 Q1 was due on 15 April (88 days ago).
DAY = date(2026, 7, 12)
OK = (200, {"errcode": 0, "errmsg": "ok"})


class Receiver:
    """A group robot on 127.0.0.1: records each POST (path, JSON body) and answers what
    `answers` says for the path (HTTP status, JSON reply), by default errcode 0."""

    def __init__(self):
        self.requests: list[tuple[str, dict]] = []
        self.answers: dict[str, tuple[int, dict]] = {}
        self.delay = 0.0
        self.base = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}?key=secret-key"

    def bodies(self, path: str) -> list[dict]:
        return [body for got, body in self.requests if got.split("?")[0] == path]


@pytest.fixture
def receiver():
    robot = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            robot.requests.append((self.path, body))
            time.sleep(robot.delay)
            status, reply = robot.answers.get(self.path.split("?")[0], OK)
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    robot.base = f"http://127.0.0.1:{server.server_port}"
    yield robot
    server.shutdown()
    server.server_close()


def clerk(username: str, department: Department, email: str = ""):
    user = user_set_role(username=username, role="clerk", department=department, password=None)
    user.email = email or f"{username}@example.org"
    user.save()
    return user


@pytest.fixture
def synthetic(plan):
    """Two quarterly indicators led by 测试局: ind0 (a level, no baseline: the 2025 figure is
    owed too) and ind1 (cumulative). On DAY both owe 2026 Q1 (overdue) and Q2 (due soon)."""
    return make_synthetic_plan(2, slug="remind")


@pytest.fixture
def bureau(synthetic):
    return Department.objects.get(region=synthetic.region, name="测试局")


def other_department(name: str) -> Department:
    return Department.objects.create(region=synthetic_region(), name=name, kind="bureau")


def supervise(indicator: Indicator, department: Department, due: date, by, **fields):
    return Supervision.objects.create(
        plan=indicator.plan,
        indicator=indicator,
        department=department,
        requirement="请说明滞后原因并提出整改措施",
        due=due,
        opened_by=by,
        opened_at=timezone.now(),
        **fields,
    )


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def rows(department: Department, **filters):
    return Reminder.objects.filter(department=department, **filters)


# --- What each department is reminded of --------------------------------------------------


def test_values_due_soon_and_overdue_go_to_the_clerks_by_email(bureau, synthetic):
    clerk("clerk_test", bureau)
    clerk("clerk_test2", bureau, "second@example.org")
    output = run("--date", DAY.isoformat())
    [message] = mails_to("clerk_test@example.org")
    assert sorted(message.to) == ["clerk_test@example.org", "second@example.org"]
    assert message.subject == "【催报提醒】测试局 2026-07-12：共 5 项"
    body = message.body
    assert "\n逾期未报\n" in body and "\n即将到期的数值\n" in body
    assert body.index("逾期未报") < body.index("即将到期的数值")  # the worst first
    assert "指标0（家） · 2026年第1季度：应于 2026-04-15 前报送，已逾期 88 天" in body
    assert "指标1（家） · 2026年第2季度：2026-07-15 截止报送，剩余 3 天" in body
    assert "2025年（全年）" in body  # ind0's baseline figure, missing in the plan
    kinds = sorted(rows(bureau).values_list("kind", flat=True))
    assert kinds == ["due_soon", "due_soon", "overdue", "overdue", "overdue"]
    assert set(rows(bureau).values_list("channel", "failed", "day")) == {("email", False, DAY)}
    assert rows(bureau).first().recipients == "clerk_test@example.org, second@example.org"
    assert "已发邮件" in output and "发送失败 0 次" in output


def test_submitted_values_are_not_chased_and_returned_ones_are(bureau, synthetic):
    clerk("clerk_test", bureau)
    user = clerk("clerk_other", other_department("别的局"))
    ind0, ind1 = Indicator.objects.filter(plan=synthetic).order_by("order")
    now = timezone.now()
    stamps = {"source": "台账", "created_by": user, "updated_by": user, "value": 1}
    Actual.objects.create(indicator=ind1, year=2026, quarter=1, state=ActualState.SUBMITTED,
                          submitted_at=now, first_submitted_at=now, **stamps)  # fmt: skip
    Actual.objects.create(indicator=ind0, year=2026, quarter=1, state=ActualState.RETURNED,
                          review_comment="口径不对", submitted_at=now, first_submitted_at=now,
                          **stamps)  # fmt: skip
    run("--date", DAY.isoformat())
    body = mails_to("clerk_test@example.org")[0].body
    assert "指标1（家） · 2026年第1季度" not in body  # submitted: the reviewer's turn
    assert "指标0（家） · 2026年第1季度：应于 2026-04-15 前报送，已逾期 88 天（已被审核退回" in body
    assert rows(bureau, item=rules.value_key(ind0.pk, "2026-Q1"), kind="overdue").exists()


def test_inactive_clerks_and_clerks_without_address_get_nothing(bureau, synthetic):
    gone = clerk("clerk_gone", bureau)
    gone.is_active = False
    gone.save()
    clerk("clerk_blank", bureau, email="x").__class__.objects.filter(username="clerk_blank").update(
        email=""
    )
    output = run("--date", DAY.isoformat())
    assert mail.outbox == []
    assert not rows(bureau).exists()
    assert "既无填报员邮箱也未设置群机器人的部门" in output


# --- A supervision item two days before it is due -----------------------------------------


def test_a_supervision_item_due_in_two_days_is_reminded_once_by_email_and_robot(
    synthetic, receiver, reviewer
):
    office = other_department("督办对象局")
    office.webhook_url = receiver.url("/wecom")
    office.save()
    clerk("clerk_office", office)
    item = supervise(synthetic.indicators.first(), office, DAY + timedelta(days=2), reviewer)

    first = run("--date", DAY.isoformat())
    [message] = mails_to("clerk_office@example.org")
    assert "3天内到期的督办事项（黄色）" in message.body
    assert "请说明滞后原因并提出整改措施；办理期限 2026-07-14，剩余 2 天" in message.body
    [body] = receiver.bodies("/wecom")
    assert "3天内到期的督办事项（黄色）" in body["markdown"]["content"]
    assert set(rows(office).values_list("kind", "channel", "item")) == {
        ("supervision_due", "email", f"supervision:{item.pk}"),
        ("supervision_due", "wecom", f"supervision:{item.pk}"),
    }
    assert "群机器人消息 1 条" in first

    second = run("--date", DAY.isoformat())
    assert len(mails_to("clerk_office@example.org")) == 1
    assert len(receiver.bodies("/wecom")) == 1
    assert rows(office).count() == 2
    assert "已发邮件 0 封，群机器人消息 0 条" in second and "今日已发送过 2 项次" in second

    # The next day it is reminded of again; past its due date it is red.
    run("--date", (DAY + timedelta(days=3)).isoformat())
    assert "已超期的督办事项（红色）" in mails_to("clerk_office@example.org")[-1].body
    assert rows(office, kind="supervision_overdue").count() == 2


def test_items_answered_closed_or_far_from_due_are_not_reminded(synthetic, reviewer):
    office = other_department("督办对象局")
    clerk("clerk_office", office)
    indicator = synthetic.indicators.first()
    supervise(
        indicator, office, DAY + timedelta(days=1), reviewer, state=SupervisionState.RESPONDED
    )
    supervise(indicator, office, DAY - timedelta(days=1), reviewer, state=SupervisionState.CLOSED)
    supervise(indicator, office, DAY + timedelta(days=4), reviewer)  # blue
    run("--date", DAY.isoformat())
    assert mails_to("clerk_office@example.org") == []


# --- Robots: formats, failures, retries ---------------------------------------------------


def test_wecom_and_dingtalk_messages_have_their_own_format(bureau, synthetic, receiver):
    bureau.webhook_url, bureau.webhook_kind = receiver.url("/wecom"), "wecom"
    bureau.save()
    ding = other_department("钉钉局")
    ding.webhook_url, ding.webhook_kind = receiver.url("/ding"), "dingtalk"
    ding.save()
    Indicator.objects.filter(plan=synthetic, order=2).first().responsibilities.update(
        department=ding
    )
    run("--date", DAY.isoformat())
    [wecom] = receiver.bodies("/wecom")
    assert wecom.keys() == {"msgtype", "markdown"} and wecom["msgtype"] == "markdown"
    assert wecom["markdown"].keys() == {"content"}
    assert wecom["markdown"]["content"].startswith("### 【催报提醒】测试局 2026-07-12\n")
    assert "- 陆河" not in wecom["markdown"]["content"]
    [ding_body] = receiver.bodies("/ding")
    assert ding_body["msgtype"] == "markdown"
    assert ding_body["markdown"].keys() == {"title", "text"}
    assert ding_body["markdown"]["title"] == "【催报提醒】钉钉局 2026-07-12"
    assert "**即将到期的数值**" in ding_body["markdown"]["text"]
    assert set(rows(ding).values_list("channel", flat=True)) == {"dingtalk"}
    # The record keeps the robot's address without its key.
    assert rows(ding).first().recipients == f"{receiver.base}/ding"


@pytest.mark.parametrize(
    "answer, error",
    [((500, {}), "HTTP 500"), ((200, {"errcode": 93000, "errmsg": "invalid key"}), "93000")],
)
def test_a_failing_robot_is_recorded_and_tried_again_the_next_run(
    bureau, synthetic, receiver, answer, error, caplog
):
    clerk("clerk_test", bureau)
    bureau.webhook_url = receiver.url("/broken")
    bureau.save()
    fine = other_department("正常局")
    fine.webhook_url = receiver.url("/fine")
    fine.save()
    supervise(synthetic.indicators.first(), fine, DAY, user_set_role(
        username="office", role="reviewer", department=None, password=None))  # fmt: skip
    receiver.answers["/broken"] = answer

    output = run("--date", DAY.isoformat())
    assert "发送失败 1 次" in output
    failed = rows(bureau, channel="wecom")
    assert failed.count() == 5 and all(r.failed and error in r.error for r in failed)
    assert "secret-key" not in " ".join(r.error + r.recipients for r in failed)
    assert any("测试局" in r.getMessage() and error in r.getMessage() for r in caplog.records)
    assert len(mails_to("clerk_test@example.org")) == 1  # the e-mail went all the same
    assert rows(fine, channel="wecom", failed=False).count() == 1  # so did the other robot

    receiver.answers.pop("/broken")
    run("--date", DAY.isoformat())
    assert len(receiver.bodies("/broken")) == 2  # tried again
    assert rows(bureau, channel="wecom", failed=False).count() == 5
    assert len(mails_to("clerk_test@example.org")) == 1  # the e-mail is not sent twice
    assert len(receiver.bodies("/fine")) == 1


def test_a_mail_server_that_refuses_is_recorded_and_the_robot_still_sent(
    bureau, synthetic, receiver, monkeypatch
):
    def refuse(message, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"clerk_test@example.org": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    clerk("clerk_test", bureau)
    bureau.webhook_url = receiver.url("/wecom")
    bureau.save()
    summary = send_reminders(day=DAY)
    assert summary.failures == 1 and summary.emails == 0 and summary.webhook_messages == 1
    assert all(r.failed and "no such user" in r.error for r in rows(bureau, channel="email"))
    assert rows(bureau, channel="wecom", failed=False).count() == 5


def test_a_robot_that_does_not_answer_times_out(bureau, synthetic, receiver, monkeypatch):
    monkeypatch.setattr(reminder_services, "WEBHOOK_TIMEOUT", 0.2)
    receiver.delay = 1
    bureau.webhook_url = receiver.url("/slow")
    bureau.save()
    send_reminders(day=DAY)
    assert all(r.failed and "timed out" in r.error for r in rows(bureau))


def test_an_address_that_is_not_http_is_never_opened(bureau, synthetic):
    bureau.webhook_url = "file:///etc/passwd"
    bureau.save()
    summary = send_reminders(day=DAY)
    assert summary.failures == 1
    assert all(r.failed and r.error == "not an http(s) address" for r in rows(bureau))


def test_a_long_list_is_cut_into_messages_a_robot_accepts(bureau, receiver):
    make_synthetic_plan(120, slug="long")
    bureau.webhook_url = receiver.url("/wecom")
    bureau.save()
    send_reminders(day=DAY)
    contents = [body["markdown"]["content"] for body in receiver.bodies("/wecom")]
    assert len(contents) > 1
    assert all(len(text.encode()) <= rules.MAX_MESSAGE_BYTES for text in contents)
    assert rows(bureau, failed=False).count() == Reminder.objects.filter(department=bureau).count()
    sent = sum(text.count("\n- ") for text in contents)
    assert sent == rows(bureau).count()


# --- Dry run, the date, the record --------------------------------------------------------


def test_dry_run_prints_and_neither_sends_nor_records(bureau, synthetic, receiver):
    clerk("clerk_test", bureau)
    bureau.webhook_url = receiver.url("/wecom")
    bureau.save()
    output = run("--date", DAY.isoformat(), "--dry-run")
    assert mail.outbox == [] and receiver.requests == [] and not Reminder.objects.exists()
    assert "试运行，未发送也未记录" in output
    assert "[邮件 → clerk_test@example.org]" in output
    assert "【催报提醒】测试局 2026-07-12：共 5 项" in output
    assert f"{receiver.base}/wecom" in output and "secret-key" not in output


def test_a_bad_date_is_refused_in_chinese(db):
    with pytest.raises(CommandError, match="--date 应写成 YYYY-MM-DD"):
        run("--date", "2026-13-01")


def test_without_a_date_it_reminds_for_today(bureau, synthetic):
    clerk("clerk_test", bureau)
    output = run()
    assert output.startswith("2026-11-24：")  # tests run on 2026-11-24 (conftest)
    assert set(rows(bureau).values_list("day", flat=True)) == {date(2026, 11, 24)}


def test_messages_link_to_the_todo_page_when_the_site_address_is_known(bureau, synthetic, settings):
    settings.SITE_URL = "https://plan.example.org"
    clerk("clerk_test", bureau)
    send_reminders(day=DAY)
    assert "待办事项：https://plan.example.org/todo/" in mail.outbox[0].body


# --- Query count of the gathering -----------------------------------------------------------


@pytest.mark.parametrize("size", [3, 60])
def test_gathering_costs_the_same_queries_at_any_size(
    plan, reviewer, size, django_assert_num_queries
):
    synthetic = make_synthetic_plan(size, slug=f"size-{size}")
    departments = [other_department(f"局{i}") for i in range(size // 3)]
    for n, indicator in enumerate(synthetic.indicators.all()):
        department = departments[n % len(departments)]
        indicator.responsibilities.update(department=department)
        supervise(indicator, department, DAY + timedelta(days=n % 5 - 2), reviewer)
    # The reported indicators (+plan), their responsibilities (+department), their stored
    # values (reporting.my_reporting), the open supervision items (+plan, indicator, task,
    # department, opened_by, closed_by).
    with django_assert_num_queries(4):
        gathered = reminders_due(DAY)
    mine = [g for g in gathered if g.department in departments]
    assert len(mine) == len(departments)
    kinds = {item.kind for group in mine for item in group.items}
    assert kinds == {"overdue", "due_soon", "supervision_due", "supervision_overdue"}


# --- The administrator sets a department's robot ------------------------------------------


# ftp:// passes Django's URL check but is refused as not a robot's; file:// fails both.
@pytest.mark.parametrize(
    "address, refusal",
    [("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", None),
     ("ftp://example.org/robot", "群机器人地址必须以 http:// 或 https:// 开头"),
     ("file:///etc/passwd", "请输入合法的URL。")],
)  # fmt: skip
def test_an_administrator_sets_a_robot_address_which_must_be_http(
    client, admin_user, plan, address, refusal
):
    client.force_login(admin_user)
    department = Department.objects.get(region__code="441523", name="县科工局")
    data = {"region": department.region_id, "name": department.name, "kind": department.kind,
            "order": department.order, "webhook_url": address,
            "webhook_kind": "dingtalk"}  # fmt: skip
    response = client.post(f"/admin/indicators/department/{department.pk}/change/", data)
    department.refresh_from_db()
    if refusal is None:
        assert response.status_code == 302
        assert (department.webhook_url, department.webhook_kind) == (address, "dingtalk")
    else:
        assert response.status_code == 200 and department.webhook_url == ""
        assert refusal in response.content.decode()


def test_a_department_without_a_robot_needs_no_robot_kind(client, admin_user, plan):
    client.force_login(admin_user)
    region = Department.objects.get(region__code="441523", name="县科工局").region
    data = {"region": region.pk, "name": "县新设局", "kind": "bureau", "order": 0}
    assert client.post("/admin/indicators/department/add/", data).status_code == 302
    assert Department.objects.get(region=region, name="县新设局").webhook_kind == "wecom"


def test_the_administrator_reads_the_reminders_sent(client, admin_user, bureau, synthetic):
    clerk("clerk_test", bureau)
    send_reminders(day=DAY)
    client.force_login(admin_user)
    page = client.get("/admin/indicators/reminder/").content.decode()
    assert "测试局" in page and "value:" in page


# --- The loop, end to end ------------------------------------------------------------------


def test_the_loop_red_approval_item_reminder_answer_close(receiver, reviewer, plan):
    """An approval turns a binding indicator red → a supervision item opens by itself →
    send_reminders on its due date minus 2 days sends one yellow reminder by e-mail and robot,
    and a second run nothing → the clerk answers → the reviewer closes it: no more reminders."""
    from indicators.domain.warnings import Explanation
    from indicators.services.actuals import Entry, actual_approve, actual_create
    from indicators.services.supervision import supervision_close, supervision_respond

    synthetic = make_synthetic_plan(7, slug="loop")
    indicator = synthetic.indicators.get(code="ind6")  # a level, baseline 16
    indicator.binding = True
    indicator.save()
    bureau = Department.objects.get(region=synthetic.region, name="测试局")
    bureau.webhook_url, bureau.webhook_kind = receiver.url("/ding"), "dingtalk"
    bureau.save()
    user = clerk("clerk_test", bureau)
    lagging = Explanation("订单下滑", "走访企业、落实扶持政策", "at_risk")
    entry = Entry(year=2026, quarter=3, value=Decimal(1), source="台账", explanation=lagging)
    actual = actual_create(user=user, indicator=indicator, entry=entry, submit=True)
    actual_approve(user=reviewer, actual=actual)
    item = Supervision.objects.get(indicator=indicator)
    assert item.automatic and item.department == bureau

    day = item.due - timedelta(days=2)
    run("--date", day.isoformat())
    [message] = mails_to("clerk_test@example.org")
    assert "3天内到期的督办事项（黄色）" in message.body and "剩余 2 天" in message.body
    [robot] = receiver.bodies("/ding")
    assert "3天内到期的督办事项（黄色）" in robot["markdown"]["text"]
    assert rows(bureau, item=f"supervision:{item.pk}").count() == 2
    run("--date", day.isoformat())
    assert len(mail.outbox) == 1 and len(receiver.requests) == 1

    supervision_respond(user=user, item=item, text="已制定整改方案")
    supervision_close(user=reviewer, item=item)
    run("--date", (day + timedelta(days=1)).isoformat())
    sent = mails_to("clerk_test@example.org")
    assert len(sent) == 2 and "督办" not in sent[-1].body  # the values owed, and no item


def test_a_requirement_ending_a_sentence_is_not_punctuated_twice(synthetic, reviewer):
    office = other_department("督办对象局")
    clerk("clerk_office", office)
    item = supervise(synthetic.indicators.first(), office, DAY + timedelta(days=2), reviewer)
    item.requirement = "请于月底前补报。"
    item.save()
    run("--date", DAY.isoformat())
    [message] = mails_to("clerk_office@example.org")
    assert "请于月底前补报；办理期限 2026-07-14，剩余 2 天" in message.body
    assert "。；" not in message.body
