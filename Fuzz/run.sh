#!/usr/bin/env bash
# Coverage-guided fuzzing of MusterCore's parsers of untrusted text, with libFuzzer and
# AddressSanitizer. Not part of the test command; findings go to Fuzz/findings/.
#   Fuzz/run.sh json [SECONDS]          # the ingest bodies' JSON reader
#   Fuzz/run.sh label-regex [SECONDS]   # silence regexes: compile, match, step bound
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?json or label-regex}
seconds=${2:-300}
case "$target" in
  json) sources=(Sources/MusterCore/JSONValue.swift Sources/MusterCore/JSONText.swift Sources/MusterCore/JSONWriter.swift) ;;
  label-regex) sources=(Sources/MusterCore/LabelRegex/*.swift) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
work=$(mktemp -d /tmp/muster-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
swiftc -sanitize=fuzzer,address -parse-as-library -O "${sources[@]}" "Fuzz/$target/main.swift" -o "$work/fuzz"
mkdir -p "$work/corpus" Fuzz/findings
cp Fuzz/"$target"/seed-* "$work/corpus/" 2>/dev/null || true
"$work/fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=5 -artifact_prefix=Fuzz/findings/ "$work/corpus"
