"""emit.svg.handoff_svg: the handoff graph as one SVG element, checked by parsing it back."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from agentroster.config import load_config
from agentroster.emit.graph import _edges
from agentroster.emit.svg import handoff_svg
from agentroster.escape import one_line
from agentroster.graph import HandoffGraph, build, handoff_graph
from agentroster.pipeline import load_roster
from tests.clean_roster import CLEAN, CleanRoster, drop, put
from tests.conftest import TODAY
from tests.test_graph import _fake

NS = "{http://www.w3.org/2000/svg}"


def graph_of(root: Path) -> HandoffGraph:
    return handoff_graph(load_roster(root, load_config(root), today=TODAY, cwd=root))


@pytest.fixture(scope="module")
def example() -> HandoffGraph:
    return graph_of(CLEAN)


@pytest.fixture
def clean(tmp_path: Path) -> CleanRoster:
    return CleanRoster(tmp_path / "roster")


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def node_groups(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    """Each node's <g>, by the first line of its <title> (the node's name as shown)."""
    out = {}
    for group in root.iter(f"{NS}g"):
        if group.get("class", "").startswith("node "):
            title = group.find(f"{NS}title")
            assert title is not None and title.text
            name = title.text.split("\n")[0]
            assert name not in out
            out[name] = group
    return out


def texts(group: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in group.findall(f"{NS}text")]


def left(group: ElementTree.Element) -> int:
    shape = group.find(f"{NS}rect")
    if shape is None:
        shape = group.find(f"{NS}polygon")
        assert shape is not None
        return min(int(p.split(",")[0]) for p in shape.get("points", "").split())
    return int(shape.get("x", ""))


def edge_paths(root: ElementTree.Element) -> list[ElementTree.Element]:
    edges = next(g for g in root.iter(f"{NS}g") if g.get("class") == "edges")
    return edges.findall(f"{NS}path")


def test_the_example_roster_is_well_formed_with_one_node_per_agent_and_queue(example):
    root = parse(handoff_svg(example))
    nodes = node_groups(root)
    assert set(nodes) == set(example.nodes)
    kinds = {name: group.get("class", "").split()[1] for name, group in nodes.items()}
    assert kinds == dict(example.nodes)
    assert len(edge_paths(root)) == len(_edges(example, None))
    width, height = int(root.get("width", "")), int(root.get("height", ""))
    assert root.get("viewBox") == f"0 0 {width} {height}" and width > 0 and height > 0
    for forbidden in ("script", "foreignObject", "image", "use", "style"):
        assert not list(root.iter(f"{NS}{forbidden}"))


def test_every_agent_says_its_tier_in_words_and_queues_are_another_shape(example):
    nodes = node_groups(parse(handoff_svg(example)))
    for agent, info in example.agents.items():
        group = nodes[agent]
        assert f"tier-{info.tier}" in group.get("class", "").split()
        assert texts(group)[1].startswith(f"tier {info.tier}")
    human = nodes["human:fraud-ops"]
    assert texts(human)[1] == "human queue"
    assert int(human.find(f"{NS}rect").get("rx", "")) > 3  # type: ignore[union-attr]
    assert texts(nodes["campaign-drafter"])[1] == "tier 3 \u00b7 paused"


def test_an_agent_whose_tier_could_not_be_read_says_so():
    graph = build([_fake("a-one", [], "human:ops")], declared_queues=None)
    graph.agents["a-one"].tier = None  # as for a card whose tier failed validation
    group = node_groups(parse(handoff_svg(graph)))["a-one"]
    assert texts(group)[1] == "tier unknown" and "no-tier" in group.get("class", "").split()


def test_links_only_where_href_gives_one(example):
    leaving = {  # links that would leave the page are not made
        "meeting-notes": "javascript:alert(1)",
        "close-reconciler": " \x01JavaScript:alert(1)",
        "policy-expert": "java\tscr\nipt:alert(1)",
        "fraud-screener": "//evil.example/x",
        "incident-sentinel": "\\\\evil.example\\x",
        "campaign-drafter": "https://example.com/",
    }

    def href(agent: str) -> str | None:
        targets = {"refund-assistant": "agents/refund-assistant.html", "it-helpdesk": ""}
        return targets.get(agent, leaving.get(agent))

    root = parse(handoff_svg(example, href=href))
    links = root.findall(f".//{NS}a")
    assert [a.get("href") for a in links] == ["agents/refund-assistant.html"]
    [group] = links[0].findall(f"{NS}g")
    assert texts(group)[0] == "refund-assistant"
    # a queue is never linked, whatever href says
    everything = parse(handoff_svg(example, href=lambda node: f"agents/{node}.html"))
    linked = {a.get("href") for a in everything.iter(f"{NS}a")}
    assert linked == {f"agents/{agent}.html" for agent in example.agents}


def test_columns_go_by_distance_to_a_human(clean):
    clean.add_card("summariser", put("escalation.to", "meeting-notes"))  # 2 hops
    clean.add_card("digest", put("escalation.to", "summariser"))  # 3 hops
    clean.add_card("classifier", drop("escalation"))  # no human
    clean.add_card("router", put("escalation.to", "nobody"))  # an unknown target
    graph = graph_of(clean.root)
    root = parse(handoff_svg(graph))
    x = {name: left(group) for name, group in node_groups(root).items()}
    assert x["nobody"] < x["classifier"] < x["digest"] < x["summariser"] < x["meeting-notes"]
    one_hop = [agent for agent, hops in graph.distance().items() if hops == 1]
    assert max(x[a] for a in ["summariser", "digest"]) < min(x[a] for a in one_hop)
    assert max(x[a] for a in one_hop) < x["human:workplace-it"] == x["human:fraud-ops"]
    assert x["router"] == x["classifier"]  # it reaches no human either, but is no dead end
    headings = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "layer-heading"]
    assert headings == [
        "unknown targets",
        "no human reached",
        "3 hops from a human",
        "2 hops from a human",
        "1 hop from a human",
        "human queues",
    ]
    assert node_groups(root)["nobody"].find(f"{NS}polygon") is not None


def test_within_a_layer_an_agent_stands_left_of_the_agents_it_hands_work_to(example):
    root = parse(handoff_svg(example))
    x = {name: left(group) for name, group in node_groups(root).items()}
    # every agent of the example escalates to a human: one layer, cut into columns
    assert x["refund-assistant"] < x["fraud-screener"] == x["meeting-notes"]
    # it-helpdesk and access-provisioner hand work to each other: one edge is left out
    assert x["access-provisioner"] < x["it-helpdesk"] == x["meeting-notes"]
    headings = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "layer-heading"]
    assert headings == ["1 hop from a human", "human queues"]
    [shaded] = [r for r in root.iter(f"{NS}rect") if r.get("class") == "layer"]
    assert (
        int(shaded.get("x", ""))
        < x["refund-assistant"]
        < x["fraud-screener"]
        < int(shaded.get("x", "")) + int(shaded.get("width", ""))
    )


def test_dead_ends_and_closed_cycles_are_marked_in_words_too(clean):
    clean.add_card("classifier", drop("escalation"))
    clean.add_card("summariser", put("escalation.to", "classifier"))
    clean.add_card("intake", put("escalation.to", "specialist"))
    clean.add_card("specialist", put("escalation.to", "intake"))
    clean.add_card("router", put("escalation.to", "nobody"))
    graph = graph_of(clean.root)
    root = parse(handoff_svg(graph))
    nodes = node_groups(root)
    flags = {
        name: (set(group.get("class", "").split()) & {"dead-end", "cycle"}, texts(group)[1])
        for name, group in nodes.items()
        if name in graph.agents
    }
    assert flags["classifier"] == ({"dead-end"}, "tier 3 \u00b7 \u26a0 dead end")
    assert flags["summariser"] == ({"dead-end"}, "tier 3 \u00b7 \u26a0 dead end")
    assert flags["intake"] == ({"cycle"}, "tier 3 \u00b7 \u21bb closed cycle")
    assert flags["specialist"] == ({"cycle"}, "tier 3 \u00b7 \u21bb closed cycle")
    assert flags["router"] == (set(), "tier 3")  # an unknown target is H001, not a dead end
    assert flags["meeting-notes"] == (set(), "tier 3")
    cycle_edges = {p.get("class") for p in edge_paths(root) if "cycle" in p.get("class", "")}
    assert cycle_edges == {"edge escalation cycle"}
    assert len([p for p in edge_paths(root) if "cycle" in p.get("class", "")]) == 2
    assert "dead end: no way to a human" in (nodes["classifier"][0].text or "")


HOSTILE = [
    "<script>alert(1)</script>",
    'say "hi" & <b>bye</b>',
    "bell\x07 escape\x1b[31m nul\x00 line\nbreak",
    "bidi\u202eevil \ufffe\uffff \udc80",
    "cafe\u0301 wide \u6f22\u5b57" * 10,
]


def test_hostile_labels_come_out_escaped_as_text():
    files = [
        _fake(name, [HOSTILE[(i + 1) % len(HOSTILE)]], "human:ops")
        for i, name in enumerate(HOSTILE)
    ]
    graph = build(files, declared_queues=None)
    svg = handoff_svg(graph, href=lambda agent: f"agents/{agent}.html")
    assert "<script" not in svg and "\x07" not in svg and "\x1b" not in svg
    assert re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202e\ufffe\uffff\ud800-\udfff]", svg) is None
    svg.encode("utf-8")  # no lone surrogate
    root = parse(svg)
    nodes = node_groups(root)
    shown = {
        one_line(name).replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff") for name in HOSTILE
    }
    assert shown | {"human:ops"} == set(nodes)
    assert texts(nodes[one_line(HOSTILE[0])])[0] == "<script>alert(1)</script>"
    assert texts(nodes[one_line(HOSTILE[2])])[0] == "bell\\x07 escape\\x1b[31m nul\\x00 lin\u2026"
    long = texts(nodes[one_line(HOSTILE[4])])[0]
    assert long.endswith("\u2026") and len(long) < len(HOSTILE[4])  # cut; its <title> has all
    hrefs = {a.get("href") for a in root.iter(f"{NS}a")}
    assert 'agents/say "hi" & <b>bye</b>.html' in hrefs  # the attribute parses back as given


def test_same_bytes_twice_and_whatever_the_order_of_the_cards():
    files = [
        _fake(f"agent-{i:03d}", [f"agent-{(i * 7 + 3) % 60:03d}", f"agent-{(i + 1) % 60:03d}"],
              f"human:q{i % 4}" if i % 5 == 0 else None)
        for i in range(60)
    ]  # fmt: skip
    first = handoff_svg(build(files, declared_queues=None))
    again = handoff_svg(build(files, declared_queues=None))
    reordered = handoff_svg(build(list(reversed(files)), declared_queues=None))
    assert first == again == reordered
    coordinates = re.findall(r' (?:x|y|width|height|viewBox|d|points)="([^"]*)"', first)
    assert len(coordinates) > 500 and not any("." in c for c in coordinates)  # integers only


def test_keep_limits_the_nodes_and_edges_drawn(example):
    keep = {"refund-assistant", "fraud-screener", "human:fraud-ops"}
    root = parse(handoff_svg(example, keep))
    assert set(node_groups(root)) == keep
    assert len(edge_paths(root)) == len(_edges(example, keep)) == 4


def test_parallel_edges_of_one_pair_are_told_apart_by_dash_pattern(example):
    root = parse(handoff_svg(example, {"close-reconciler", "human:finance-close"}))
    paths = edge_paths(root)
    assert [p.get("class") for p in paths] == ["edge handoff", "edge escalation"]
    assert [p.get("stroke-dasharray") for p in paths] == [None, "2 3"]
    assert len({p.get("d") for p in paths}) == 2
    legend = next(g for g in root.iter(f"{NS}g") if g.get("class") == "legend")
    assert [t.text for t in legend.findall(f"{NS}text")][:3] == [
        "handoff",
        "fallback",
        "escalation",
    ]


def test_marker_ids_take_the_prefix_and_every_reference_resolves(example):
    svg = handoff_svg(example, id_prefix='part 2"<')
    root = parse(svg)
    ids = {m.get("id") for m in root.iter(f"{NS}marker")}
    assert ids == {"part-2---arrow", "part-2---arrow-alert"}
    used = set(re.findall(r"url\(#([^)]*)\)", svg))
    assert used and used <= ids
    assert "url(" not in re.sub(r"url\(#[^)]*\)", "", svg)  # nothing outside the element


def test_loops_and_edges_back_stay_inside_the_picture():
    files = [_fake("a", ["b", "a"], "human:ops"), _fake("b", ["a"], "human:ops")]
    graph = build(files, declared_queues=None)
    root = parse(handoff_svg(graph))
    width = int(root.get("width", ""))
    numbers = [int(n) for p in edge_paths(root) for n in re.findall(r"-?\d+", p.get("d", ""))]
    ends = [re.findall(r"-?\d+", p.get("d", "")) for p in edge_paths(root)]
    assert sum(1 for e in ends if e[0] == e[-2]) == 1  # only the loop has both ends in a column
    xs = numbers[0::2]
    assert min(numbers) >= 0 and max(xs) <= width


def test_an_empty_graph_is_a_valid_picture():
    root = parse(handoff_svg(build([], declared_queues=None)))
    assert node_groups(root) == {} and int(root.get("width", "")) > 0


def test_long_chains_and_dense_graphs_stay_linear_in_output():
    n = 1500
    chain = [
        _fake(f"a{i:05d}", [], f"a{i + 1:05d}" if i + 1 < n else "human:ops") for i in range(n)
    ]
    graph = build(chain, declared_queues=None)
    svg = handoff_svg(graph)
    root = parse(svg)
    headings = [t for t in root.iter(f"{NS}text") if t.get("class") == "layer-heading"]
    assert len(headings) == n + 1 and headings[0].text == f"{n} hops from a human"
    assert len(svg) < 1200 * (n + 1)  # about one node, one edge and one heading per agent


def test_a_long_chain_within_one_layer_is_as_many_columns_without_recursion():
    n = 3000  # each hands work to the next and escalates to a human: all one hop from it
    ids = [f"a{i:05d}" for i in range(n)]
    files = [_fake(a, ids[i + 1 : i + 2], "human:ops") for i, a in enumerate(ids)]
    root = parse(handoff_svg(build(files, declared_queues=None)))
    x = {name: left(group) for name, group in node_groups(root).items()}
    assert [x[a] for a in ids] == sorted({x[a] for a in ids}) and x[ids[-1]] < x["human:ops"]
