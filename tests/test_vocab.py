"""The parser and the extractor share one vocabulary (zonedb/text/vocab.py): every unit and
currency the parser reads is found by the extractor in running text, with the same unit."""

from __future__ import annotations

import pytest

from zonedb.text.extract import extract_mentions
from zonedb.text.quantity import parse_quantity
from zonedb.text.vocab import CURRENCIES, QUALIFIERS, UNITS


def _only_mention(text: str, phrase: str):  # type: ignore[no-untyped-def]
    found = [m for m in extract_mentions(text) if phrase in m.text or m.text in phrase]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize("word", sorted(CURRENCIES))
def test_every_currency_is_extracted_as_that_currency(word: str) -> None:
    phrase = f"5亿{word}"
    mention = _only_mention(f"该园区去年引进外资{phrase}，同比增长。", phrase)
    assert mention.text == phrase
    assert mention.unit == CURRENCIES[word] == parse_quantity(phrase).unit
    assert mention.value == 500_000_000


def test_renminbi_is_money_not_people() -> None:
    """The bug that two tables caused: 5亿人民币 was read as 5亿 人 (people)."""
    mention = _only_mention("项目总投资5亿人民币。", "5亿人民币")
    assert (mention.text, mention.unit, mention.value) == ("5亿人民币", "CNY", 5e8)


@pytest.mark.parametrize("unit", [u for u in UNITS if u not in ("倍", "个百分点", "百分点")])
def test_every_unit_the_parser_reads_is_extracted_with_it(unit: str) -> None:
    phrase = f"128{unit}"
    parsed = parse_quantity(phrase)
    mention = _only_mention(f"截至目前，园区共有128{unit}，位居全省前列。", phrase)
    assert mention.text == phrase, mention
    assert (mention.value, mention.unit) == (parsed.value, parsed.unit) == (128, unit)


@pytest.mark.parametrize("word", [w for w in QUALIFIERS if w in ("低于", "超过", "约", "以上")])
def test_qualifiers_read_alike(word: str) -> None:
    phrase = f"{word}30家" if word != "以上" else f"30家{word}"
    mention = _only_mention(f"今年新增企业{phrase}。", phrase)
    assert mention.text == phrase
    assert mention.qualifier == parse_quantity(phrase).qualifier == QUALIFIERS[word]
