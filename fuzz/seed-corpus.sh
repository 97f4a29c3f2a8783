#!/usr/bin/env bash
# Seed a fuzzing corpus with every card in the examples and the rule cases.
set -euo pipefail
out=${1:-fuzz/corpus}
mkdir -p "$out"
i=0
while IFS= read -r card; do
  cp "$card" "$out/seed-$(printf %03d "$i").yaml"
  i=$((i + 1))
done < <(find examples tests/rules/cases -name '*.agent.y*ml' | sort)
echo "seeded $i files into $out"
