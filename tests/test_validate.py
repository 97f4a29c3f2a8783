from __future__ import annotations

import pytest

from agentroster.loader import load_text
from agentroster.validate import FieldUnavailable, dotted, validate
from tests.conftest import CLEAN_CARD


def check(text: str):
    loaded = load_text(text)
    assert loaded.problems == []
    return validate(loaded.data, loaded.source_map, damaged=loaded.damaged)


def problems(text: str):
    return [(p.code, p.line, p.column) for p in check(text).problems]


def test_clean_card_validates():
    result = check(CLEAN_CARD)
    assert result.problems == [] and result.card is not None and not result.tainted


def test_bad_enum_value_at_the_value_and_names_allowed_values():
    result = check(CLEAN_CARD.replace("status: proposed", "status: live"))
    assert [(p.code, p.line, p.column) for p in result.problems] == [("C002", 7, 9)]
    message = result.problems[0].message
    assert "'live'" in message and "'proposed'" in message and "'retired'" in message


def test_wrong_type_at_the_value():
    text = CLEAN_CARD.replace("tier: 3", "tier: three")
    assert problems(text) == [("C002", 10, 7)]


def test_unquoted_version_number_says_to_quote_it():
    result = check(CLEAN_CARD.replace("version: 1.0.0", "version: 1.0"))
    assert "quote it" in result.problems[0].message


def test_unknown_key_at_the_key_with_did_you_mean():
    result = check(CLEAN_CARD.replace("owner:", "ownr:"))
    found = [(p.code, p.line, p.column) for p in result.problems]
    assert ("C003", 11, 1) in found
    c003 = next(p for p in result.problems if p.code == "C003")
    assert "did you mean 'owner'" in c003.message
    # the missing owner is reported once, at the top-level mapping
    assert ("C002", 1, 1) in found and len(found) == 2


def test_nested_unknown_key_keeps_the_rest_of_the_block():
    text = CLEAN_CARD.replace("audit: {enabled: true}", "audit: {enabled: true, retension_days: 9}")
    result = check(text)
    assert [(p.code, p.line, p.column) for p in result.problems] == [("C003", 15, 24)]
    assert "did you mean 'retention_days'" in result.problems[0].message
    assert "audit" not in result.tainted
    assert result.view().audit.enabled is True


def test_missing_nested_field_is_reported_at_the_parent_mapping():
    text = CLEAN_CARD.replace(
        "owner: {name: Dana Whitfield, email: dana.whitfield@example.com}", "owner:\n  name: Dana"
    )
    result = check(text)
    # a block mapping is pointed at by its key line, `owner:`
    assert [(p.code, p.line, p.column) for p in result.problems] == [("C002", 11, 1)]
    assert "owner: missing required field 'email'" in result.problems[0].message


def test_tainted_fields_raise_on_access_and_others_are_readable():
    result = check(CLEAN_CARD.replace("tier: 3", "tier: 9"))
    view = result.view()
    assert result.tainted == {"tier"}
    with pytest.raises(FieldUnavailable):
        _ = view.tier
    assert view.id == "notes-helper"


def test_union_alternatives_give_one_message():
    text = CLEAN_CARD + "waivers:\n  - {rule: B001, approved_by: 42}\n"
    result = check(text)
    assert len(result.problems) == 1
    assert "expected a mapping or a string, got integer 42" in result.problems[0].message
    text = CLEAN_CARD + "waivers:\n  - {rule: B001, approved_by: {name: Al}}\n"
    result = check(text)
    assert len(result.problems) == 1
    assert "missing required field 'email'" in result.problems[0].message


def test_unsupported_api_version_is_c007_and_nothing_else():
    text = CLEAN_CARD.replace("agentroster/v1", "agentroster/v2").replace("tier: 3", "tier: x")
    assert problems(text) == [("C007", 1, 13)]
    assert check(text).card is None


def test_merge_key_gets_its_own_message():
    result = check(CLEAN_CARD + "<<: {tags: [a]}\n")
    assert "merge key" in result.problems[0].message


@pytest.mark.parametrize(
    ("data", "needle"),
    [(None, "empty"), ([1], "a list, not a mapping"), ("x", "'x', not a mapping")],
)
def test_non_mapping_documents(data, needle):
    from agentroster.sourcemap import SourceMap

    result = validate(data, SourceMap())
    assert [p.code for p in result.problems] == ["C002"] and needle in result.problems[0].message


def test_bad_date_and_duration_messages():
    text = (
        CLEAN_CARD.replace(
            "escalation: {to: human:workplace-it}",
            "escalation: {to: human:workplace-it, incident_response: soon}",
        )
        + "deployed: 01/02/2026\n"
    )
    messages = [p.message for p in check(text).problems]
    assert any("is not a duration" in m for m in messages)
    assert any("write it as YYYY-MM-DD" in m for m in messages)


def test_dotted():
    assert dotted(("tools", 1, "access")) == "tools[1].access"
    assert dotted(()) == "the card"
