"""Status cards rendered in Python: a dashboard may print hundreds of them, and a template
loop over that many small blocks was half of the overview's time (docs/benchmarks.md).
Every text is prepared by reports.selectors.card; this only lays it out, every value escaped."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def status_cards(cards) -> str:
    """The cards of `cards`, one per indicator, coloured by status (--status / --status-ink)."""
    labels = {
        "actual": escape(_("Actual value")),
        "ratio": escape(_("Ratio to schedule")),
        "lead": escape(_("Lead:")),
        "unassigned": escape(_("Unassigned")),
        "binding": escape(_("binding")),
    }
    cards_html = "".join(_card(card, labels) for card in cards)
    return mark_safe(f'<div class="card-grid">{cards_html}</div>')  # noqa: S308 (escaped)


def _card(card: dict, labels: dict) -> str:
    e = escape
    provisional = " provisional" if card["provisional"] else ""
    return (
        f'<article class="status-card{provisional}" style="--status:#{e(card["colour"])};'
        f'--status-ink:#{e(card["ink"])}" data-code="{e(card["code"])}" '
        f'data-status="{e(card["status"])}"><p class="status-label">{e(card["label"])}</p>'
        f'<h3><a href="{e(card["url"])}">{e(card["name"])}</a>{_binding(card, labels)}</h3>'
        f"<dl>{_figures(card, labels)}</dl>{_flags(card)}{_leads(card, labels)}</article>"
    )


def _binding(card: dict, labels: dict) -> str:
    return f' <span class="badge binding">{labels["binding"]}</span>' if card["binding"] else ""


def _figures(card: dict, labels: dict) -> str:
    e = escape
    note = f" <small>{e(card['annualised_note'])}</small>" if card["annualised_note"] else ""
    html = f'<dt>{labels["actual"]}</dt><dd class="value">{e(card["value"] or "-")}{note}</dd>'
    if card["expected_label"]:
        html += f"<dt>{e(card['expected_label'])}</dt><dd>{e(card['expected'] or '-')}</dd>"
    if card["ratio"]:
        html += f"<dt>{labels['ratio']}</dt><dd>{e(card['ratio'])}%</dd>"
    return html


def _flags(card: dict) -> str:
    if not card["flags"]:
        return ""
    return '<ul class="flags">' + "".join(f"<li>{escape(f)}</li>" for f in card["flags"]) + "</ul>"


def _leads(card: dict, labels: dict) -> str:
    links = [
        f'<a href="{escape(url)}">{escape(name)}</a>' if url else escape(name)
        for name, url in card["lead_links"]
    ]
    names = "、".join(links) or f'<span class="badge gap">{labels["unassigned"]}</span>'
    return f'<p class="leads">{labels["lead"]} {names}</p>'
