"""How a reminder travels (domain.md §11): the key of what it is about, the group robots'
message formats and replies, and messages cut to the robots' size. Pure: plain values in,
plain values out; the sending is `indicators.services.reminders`.
"""

import json
from collections.abc import Callable
from urllib.parse import urlsplit

WECOM, DINGTALK = "wecom", "dingtalk"
WEBHOOK_SCHEMES = ("http", "https")
# 企业微信 refuses a markdown message over 4,096 bytes (errcode 40058); 钉钉 takes more, but a
# robot message is read on a phone: both get at most this many bytes, cut between lines.
MAX_MESSAGE_BYTES = 4000


def value_key(indicator_id: int, period_code: str) -> str:
    """What a reminder about a value is about (Reminder.item): one indicator and period."""
    return f"value:{indicator_id}:{period_code}"


def supervision_key(supervision_id: int) -> str:
    """What a reminder about a supervision item is about (Reminder.item)."""
    return f"supervision:{supervision_id}"


def webhook_url_allowed(url: str) -> bool:
    """Only http(s) addresses with a host: urllib would also open file:// and ftp://."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in WEBHOOK_SCHEMES and bool(parts.hostname)


def webhook_address(url: str) -> str:
    """The robot's address as records keep it: scheme and host, never the key in the query,
    which lets anyone who has it post to the group."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def webhook_payload(kind: str, title: str, text: str) -> dict:
    """The JSON body of a markdown message to a group robot of `kind` (企业微信: content only;
    钉钉: a title, shown in the notification, and the text)."""
    if kind == WECOM:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if kind == DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    raise ValueError(f"unknown group robot {kind!r}")


def reply_error(body: bytes) -> str:
    """What went wrong according to a robot's reply, or "" when it accepted the message: both
    answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}, and a non-zero errcode on refusal
    (a wrong key, a message too long, 钉钉's keyword or IP check)."""
    try:
        reply = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return f"not a robot's reply: {body[:100]!r}"
    if not isinstance(reply, dict) or "errcode" not in reply:
        return f"not a robot's reply: {body[:100]!r}"
    if reply["errcode"] != 0:
        return f"errcode {reply['errcode']}: {reply.get('errmsg', '')}"
    return ""


def in_parts(items: list, render: Callable[[list], str], limit: int = MAX_MESSAGE_BYTES) -> list:
    """`items` grouped, in order, into messages whose text (`render(part)`) fits in `limit`
    UTF-8 bytes; an item too long for any message travels alone."""
    parts: list[list] = []
    for item in items:
        if parts and len(render([*parts[-1], item]).encode()) <= limit:
            parts[-1].append(item)
        else:
            parts.append([item])
    return parts
