"""Generate a large, realistic roster: seeded, N cards in nested folders, connected handoffs.

    python benchmarks/generate.py OUT_DIR N [--seed S]

Cards look like those in examples/roster (about 70 lines, every block filled in, the v1.1
lifecycle ones included) and lint clean with every rule on, so a benchmark measures the normal
case, not error paths. Every agent hands off to one to three earlier agents (a connected
graph) with a human fallback, and escalates to a human.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

PATTERNS = [
    ("employee-enablement", "assist", 3),
    ("business-expert", "assist", 2),
    ("workplace-services", "execute", 2),
    ("core-process", "execute", 1),
    ("external-engagement", "execute", 1),
    ("ai-first", "execute", 2),
]
FIRST = ["Dana", "Amara", "Mei", "Jonas", "Sofia", "Ravi", "Grace", "Kwame", "Chloe", "Luis"]
LAST = [
    "Whitfield",
    "Okafor",
    "Chen",
    "Weber",
    "Rossi",
    "Patel",
    "Liu",
    "Mensah",
    "Martin",
    "Moreno",
]
TIER1_GATE = (
    "[eval-threshold, security-review, privacy-impact, cost-approval, legal-review, "
    "compliance-attestation, red-team, executive-signoff, security-audit]"
)
BASE_GATE = "[eval-threshold, security-review, privacy-impact, cost-approval]"
ALL_CLASSES = ["internal", "confidential", "pii", "pci"]


def person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", f"{first.lower()}.{last.lower()}@example.com"


def card(i: int, rng: random.Random, targets: list[str], depth: str) -> tuple[str, str]:
    pattern, mode, tier = PATTERNS[i % len(PATTERNS)]
    agent = f"agent-{i:05d}"
    owner, owner_mail = person(rng)
    sponsor, sponsor_mail = person(rng)
    role = {1: "executive", 2: "manager", 3: "manager"}[tier]
    # Tier 1 agents handle regulated data and hand work only to other tier 1 agents, which
    # declare the same classes (no H008); tiers 2 and 3 handle internal data only (no T003).
    lines = [
        "apiVersion: agentroster/v1",
        "kind: AgentCard",
        f"id: {agent}",
        f"name: Generated Agent {i}",
        f"version: 1.{i % 10}.0",
        "description: >",
        f"  Generated agent number {i} for benchmarks: handles {pattern} work end to end,",
        "  reads its inputs from the ticket queue and writes a summary for a person.",
        "status: production",
        f"pattern: {pattern}",
        f"mode: {mode}",
        f"tier: {tier}",
        f"owner: {{name: {owner}, email: {owner_mail}, team: team-{i % 40:02d}}}",
        f"sponsor: {{name: {sponsor}, email: {sponsor_mail}, role: {role}}}",
        "data:",
        f"  classes: [{', '.join(ALL_CLASSES if tier == 1 else ['internal'])}]",
    ]
    if pattern == "business-expert":
        lines += [
            "  sources:",
            f"    - {{name: Policy library {i}, owner: {owner_mail}, authoritative: true, "
            "refreshed: 2026-11-10}",
        ]
    lines += [
        "model: {provider: anthropic, name: claude-sonnet, version: claude-sonnet-4-5-20250929,"
        " fallback: {provider: openai, name: gpt-4o}}",
        "tools:",
        f"  - {{id: records.read-{i}, system: crm, description: Read a record, access: read, "
        "rate_limit: 60/m}",
    ]
    if mode == "execute":
        lines += [
            f"  - id: records.update-{i}",
            "    system: crm",
            "    description: Update a record",
            "    access: write",
            "    approval: human",
            "    rate_limit: 10/m",
        ]
    lines.append("handoffs:" if targets else "handoffs: []")
    for target in targets:
        lines += [
            f"  - to: {target}",
            "    trigger: the request is outside this agent's scope",
            "    context: [ticket_id, customer_id, summary]",
            "    decision: take over the request or return it",
            "    deadline: 4h",
            f"    fallback: human:queue-{i % 25:02d}",
            "    log: ticketing",
        ]
    lines += [
        "escalation:",  # block style: `{to: human:x}` is not YAML the C parser reads
        f"  to: human:queue-{i % 25:02d}",
        "  incident_response: 15m",
        "evals:",
        f"  golden_set: {depth}evals/golden.jsonl",
        "  cases: 120",
        "  metric: resolution_accuracy",
        "  threshold: 0.9",
        "  cadence: every-deploy",
        "  refreshed: 2026-11-01",
        "runbooks:",
        f"  - {{failure_mode: provider-outage, path: {depth}runbooks/provider-outage.md}}",
        f"  - {{failure_mode: tool-outage, path: {depth}runbooks/tool-outage.md}}",
        "monitoring:",
        f"  dashboard: https://dash.example.com/d/{agent}",
        "  metrics: [success_rate, latency_p95, cost_per_interaction, escalation_rate]",
        "  alerts: [error_rate_high]",
        f"  on_call: oncall-{i % 25:02d}",
        "audit: {enabled: true, retention_days: 2555, tamper_evident: true}",
        "release_gate:",
        f"  requires: {TIER1_GATE if tier == 1 else BASE_GATE}",
        "  rollout: canary",
        f"  rollback: flag {agent}-release pinned to the previous version",
        "budgets: {max_steps: 20, max_cost_per_session: 2.5, timeout: 2m}",
        "slo: {availability: 99.5, latency_p95: 4000, success_rate: 0.9}",
        f"kill_switch: flag {agent}-enabled",
        "disclosure: {ai_disclosed: true, consent: chat banner}",
        *(
            ["oversight: {confidence_threshold: 0.8, human_review_for: [writes above 200 USD]}"]
            if mode == "execute"
            else []
        ),
        "cost: {per_interaction: 0.05, alert_above: 0.1, monthly_budget: 1000, "
        "monthly_volume: 12000}",
        "review: {last: 2026-10-15, metrics_last: 2026-11-02}",
        "deployed: 2026-03-01",
        f"tags: [generated, {pattern}]",
    ]
    return agent, "\n".join(lines) + "\n"


def generate(out: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Write N cards under `out` (replacing it); returns the card paths."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "evals").mkdir(parents=True)
    (out / "runbooks").mkdir()
    (out / "agentroster.toml").write_text("# generated benchmark roster\n")
    (out / "evals" / "golden.jsonl").write_text(  # 120 cases, as the cards say (L009)
        "".join(f'{{"id": "case-{n}", "input": "x", "expected": "y"}}\n' for n in range(120))
    )
    for name in ("provider-outage", "tool-outage"):
        (out / "runbooks" / f"{name}.md").write_text(f"# {name}\n\nSteps.\n")
    paths = []
    tier1: list[int] = []
    for i in range(n):
        tier = PATTERNS[i % len(PATTERNS)][2]
        pool = tier1 if tier == 1 else range(i)
        picks = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        earlier = [f"agent-{j:05d}" for j in picks]
        if tier == 1:
            tier1.append(i)
        folder = out / f"dept-{i % 10:02d}" / f"team-{i % 37:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        agent, text = card(i, rng, sorted(earlier), "../../")
        path = folder / f"{agent}.agent.yaml"
        path.write_text(text)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.out, args.n, seed=args.seed)
    print(f"wrote {len(paths)} cards under {args.out}")


if __name__ == "__main__":
    main()
