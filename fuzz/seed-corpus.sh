#!/usr/bin/env bash
# Seed a fuzzing corpus: `cards` (default) with every card in the examples and the rule cases,
# for fuzz_card.py; `files` with every queues file, tool catalogue and configuration, each
# prefixed with the byte that makes fuzz_files.py read it as that file.
set -euo pipefail
out=${1:-fuzz/corpus}
kind=${2:-cards}
mkdir -p "$out"
i=0
if [ "$kind" = files ]; then
  while IFS= read -r file; do
    case "$file" in
      *queues.yaml) prefix='\000' ;;
      *tools.yaml) prefix='\001' ;;
      *) prefix='\002' ;;
    esac
    { printf "$prefix"; cat "$file"; } > "$out/seed-$(printf %03d "$i")"
    i=$((i + 1))
  done < <(find examples tests -name 'agentroster.*.yaml' -o -name 'agentroster.toml' | sort)
else
  while IFS= read -r card; do
    cp "$card" "$out/seed-$(printf %03d "$i").yaml"
    i=$((i + 1))
  done < <(find examples tests/rules/cases -name '*.agent.y*ml' | sort)
fi
echo "seeded $i files into $out"
