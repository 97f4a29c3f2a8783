"""C: card structure. One defect in a clean card, and where each finding points.

C001-C004, C007, C008, C010 and C011 come from reading the file (loader.py, validate.py;
the rules are defined in problems.py); C005, C006 and C009 are rules in rules/card.py.
"""

from __future__ import annotations

from tests.clean_roster import put, sub

RAVI = "owner: {name: Ravi Patel, email: ravi.patel@example.com, team: workplace-it}"


def test_c001_unclosed_flow_mapping_is_reported_where_the_parser_stops(clean):
    clean.edit("meeting-notes", sub(RAVI, RAVI[:-1]))
    assert clean.found() == [("meeting-notes", "C001", 15)]  # at `data:`, the next line


def test_c001_colon_space_inside_a_plain_value(clean):
    clean.edit("meeting-notes", sub("rollout: full", "rollout: full: now"), expect="C001")
    assert clean.found() == clean.expected()


def test_c002_value_outside_the_schema(clean):
    clean.edit("meeting-notes", put("tier", 4), expect="C002")
    assert clean.found() == clean.expected()


def test_c003_unknown_field_at_the_key(clean):
    clean.edit("refund-assistant", sub("tags: [", "tag: ["), expect="C003")
    assert clean.found() == clean.expected()


def test_c004_duplicate_key_at_the_second_one(clean):
    clean.edit("meeting-notes", sub("tier: 3\n", "tier: 3\ntier: 3  # expect: C004\n"))
    assert clean.found() == clean.expected()


def test_c005_one_file_name_in_two_folders_with_their_own_ids(clean):
    clean.write("ops/campaign-drafter.agent.yaml", clean.card("campaign-drafter").read_text())
    clean.edit("ops/campaign-drafter", sub("id: campaign-drafter", "id: campaign-drafter-ops"))
    assert clean.found() != []


def test_c005_two_cards_with_one_id_are_both_reported(clean):
    clean.edit(
        "campaign-drafter", sub("id: campaign-drafter", "id: campaign-drafter  # expect: C005")
    )
    clean.write("ops/campaign-drafter.agent.yaml", clean.card("campaign-drafter").read_text())
    assert clean.found() == clean.expected()


def test_c006_file_name_differs_from_the_id(clean):
    card = clean.card("campaign-drafter")
    card.rename(card.with_name("drafter.agent.yaml"))
    assert clean.found() == [("drafter", "C006", 4)]  # at the id


def test_c006_the_yml_suffix_is_fine(clean):
    card = clean.card("campaign-drafter")
    card.rename(card.with_suffix(".yml"))
    assert clean.found() == []


def test_c007_unsupported_api_version_and_nothing_else(clean):
    clean.edit("meeting-notes", sub("agentroster/v1", "agentroster/v2"), put("tier", "x"))
    assert clean.found() == [("meeting-notes", "C007", 2)]  # the tier error is not reported


def test_c008_second_document_at_its_separator(clean):
    clean.edit("meeting-notes", sub("deployed: 2025-09-01\n", "deployed: 2025-09-01\n---\nid: x\n"))
    assert clean.found() == [("meeting-notes", "C008", 43)]


def test_c008_not_utf8_at_the_first_bad_byte(clean):
    clean.write("ops/latin1.agent.yaml", b"apiVersion: agentroster/v1\nname: Caf\xe9\n")
    assert clean.found() == [("latin1", "C008", 2)]


def test_c009_todo_placeholder(clean):
    clean.edit("meeting-notes", put("name", "TODO: the agent title"), expect="C009")
    assert clean.found() == clean.expected()


def test_c009_todo_as_a_word_is_not_a_placeholder(clean):
    clean.edit("meeting-notes", put("name", "Notes Helper for TODO lists"))
    assert clean.found() == []


def test_c010_custom_tag(clean):
    clean.edit("refund-assistant", sub("tags: [", "tags: !custom ["), expect="C010")
    assert clean.found() == clean.expected()


def test_c010_standard_tags_are_fine(clean):
    clean.edit("refund-assistant", sub("tags: [", "tags: !!seq ["))
    assert clean.found() == []


def test_c011_nesting_deeper_than_the_limit(clean):
    clean.configure("[limits]\nmax-depth = 4\n")
    clean.edit("refund-assistant", sub("tags: [", "tags: [[[["), sub("payments]", "payments]]]]"))
    assert clean.found() == [("refund-assistant", "C011", 94)]


def test_c011_the_clean_roster_fits_a_tight_depth_limit(clean):
    clean.configure("[limits]\nmax-depth = 4\n")
    assert clean.found() == []


def test_c011_alias_expansion_past_the_node_limit(clean):
    clean.configure("[limits]\nmax-nodes = 1000\n")
    a, b = "[x, x, x, x, x, x, x, x, x, x]", "[*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]"
    laughs = f"tags: &a {a}\nx-labels: &b {b}\nx-more: {b.replace('a', 'b')}  # expect: C011"
    clean.edit("refund-assistant", sub("tags: [customer-facing, payments]", laughs))
    assert clean.found() == clean.expected()
