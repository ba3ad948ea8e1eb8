"""Status cards rendered in Python: a dashboard may print hundreds of them, and a template
loop over that many small blocks was half of the overview's time (docs/benchmarks.md).
Every text is prepared by reports.selectors.card; this only lays it out, every value escaped.
The warning light's badge (`light_badge`) and the 滞后说明 (`explanation_note`) are rendered here
too, once for every page that shows them."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from indicators.domain import statuses, warnings
from reports.presenters import LIGHT_INK

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
        # each light's badge, built once for all the cards
        **{light: _light_badge(light) for light in warnings.LIGHTS},
    }
    cards_html = "".join(_card(card, labels) for card in cards)
    return mark_safe(f'<div class="card-grid">{cards_html}</div>')  # noqa: S308 (escaped)


def _card(card: dict, labels: dict) -> str:
    e = escape
    provisional = " provisional" if card["provisional"] else ""
    return (
        f'<article class="status-card{provisional}" style="--status:#{e(card["colour"])};'
        f'--status-ink:#{e(card["ink"])}" data-code="{e(card["code"])}" '
        f'data-status="{e(card["status"])}"><p class="status-label">{e(card["label"])} '
        f"{labels[card['light']]}</p>"
        f'<h3><a href="{e(card["url"])}">{e(card["name"])}</a>{_binding(card, labels)}</h3>'
        f"<dl>{_figures(card, labels)}</dl>{_flags(card)}{_explanation(card['explanation'])}"
        f"{_leads(card, labels)}</article>"
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


@register.simple_tag
def light_badge(light: str) -> str:
    """A warning light as a badge in its colour (红灯, 黄灯, …): the one rendering every page
    uses."""
    return mark_safe(_light_badge(light))  # noqa: S308 (escaped)


def _light_badge(light: str) -> str:
    colour, ink = statuses.LIGHT_COLOURS[light], LIGHT_INK[light]
    return (
        f'<span class="light-badge" data-light="{escape(light)}" '
        f'style="--light:#{colour};--light-ink:#{ink}">{escape(statuses.light_label(light))}</span>'
    )


@register.simple_tag
def explanation_note(text: str) -> str:
    """The 滞后说明 beside a status (`wording.explanation_text`), or nothing."""
    return mark_safe(_explanation(text))  # noqa: S308 (escaped)


def _explanation(text: str) -> str:
    if not text:
        return ""
    heading = escape(_("Lag explanation"))
    return f'<p class="explanation"><strong>{heading}</strong> {escape(text)}</p>'
