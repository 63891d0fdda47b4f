#!/bin/sh
# Builds the fuzzing seed corpora under fuzz/corpus/<target>/ (git-ignored) from the five seed
# documents and every test fixture, plus the embedded rule files for the config target.
# Usage: fuzz/seed-corpus.sh   (from anywhere; idempotent)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/fuzz/corpus"
for t in parse dates references engine config; do mkdir -p "$out/$t"; done

# Text inputs: whole seeds and fixtures, and also 4 KiB slices of the seeds so the fuzzer starts
# from small inputs it can mutate quickly (libFuzzer's default -max_len is 4096).
n=0
add_text() { # file
  n=$((n + 1))
  for t in parse dates references engine; do cp "$1" "$out/$t/seed-$n"; done
}
for f in "$root"/seeds/*.txt; do
  add_text "$f"
  size=$(wc -c <"$f")
  off=0
  while [ "$off" -lt "$size" ]; do
    n=$((n + 1))
    for t in parse dates references engine; do
      dd if="$f" of="$out/$t/slice-$n" bs=4096 skip=$((off / 4096)) count=1 2>/dev/null
    done
    off=$((off + 4096))
  done
done
find "$root/tests/fixtures" -type f \( -name '*.txt' -o -name '*.md' \) | sort | while read -r f; do
  n=$((n + 1)); h=$(cksum <"$f" | cut -d' ' -f1)
  for t in parse dates references engine; do cp "$f" "$out/$t/fixture-$h"; done
done
# Config: the shipped rule files, every fixture's .toml, the example config if any.
for f in "$root"/rules/*.toml $(find "$root/tests/fixtures" -name '*.toml' | sort); do
  h=$(cksum <"$f" | cut -d' ' -f1)
  cp "$f" "$out/config/toml-$h"
done
for t in parse dates references engine config; do
  echo "$t: $(ls "$out/$t" | wc -l) inputs"
done
