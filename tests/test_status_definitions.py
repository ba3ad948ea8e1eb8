"""Every status and flag the engine can give has its label, colour and sentence: a page never
meets a status it cannot print (a new status once made the overview answer 500)."""

from indicators.domain import progress, statuses
from reports import presenters, wording


def test_every_status_has_its_label_colour_ink_and_clause():
    codes = set(progress.STATUS_CODES)
    assert set(statuses.STATUS_ORDER) == codes
    assert set(statuses.STATUS_LABELS) == codes
    assert set(statuses.STATUS_COLOURS) == codes
    assert set(presenters.STATUS_INK) == codes
    assert set(wording.CLAUSES) == codes


def test_every_flag_has_its_label():
    assert set(statuses.FLAG_LABELS) == set(progress.FLAGS)


def test_the_new_status_reads_in_chinese():
    assert statuses.status_label(progress.TARGET_PENDING) == "目标待下达"
    assert "目标待下达2项" in wording.status_sentence({progress.TARGET_PENDING: 2})
