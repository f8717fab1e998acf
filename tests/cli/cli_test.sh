#!/usr/bin/env bash
# The `ember` command line end to end: exit codes and one-line errors for bad flags and files, then
# train -> save -> info -> evaluate -> predict on MNIST (skipped, exit 77, when it is not fetched).
#   tests/cli/cli_test.sh path/to/ember
set -uo pipefail
ember="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect_fail CODE "substring of stderr" ARGS...: runs ember, checks the exit code, a single line on
# stderr and that it contains the substring.
expect_fail() {
  local code="$1" want="$2"
  shift 2
  "$ember" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local lines
  lines=$(wc -l <"$tmp/err")
  if [[ $rc -ne $code || $lines -ne 1 ]] || ! grep -qF -- "$want" "$tmp/err"; then
    echo "FAIL: ember $* -> exit $rc (want $code), $lines stderr lines, want '$want':"
    cat "$tmp/err"
    failures=$((failures + 1))
  fi
}

expect_ok() {
  if ! "$ember" "$@" >"$tmp/out" 2>"$tmp/err"; then
    echo "FAIL: ember $* exited non-zero:"
    tail -5 "$tmp/err" "$tmp/out"
    failures=$((failures + 1))
    return 1
  fi
}

expect_fail 2 "ember train: unknown flag --bogus (see 'ember train --help')" train --bogus 1
expect_fail 2 "flag --epochs expects an integer, got 'ten'" train --epochs ten
expect_fail 2 "flag --lr needs a value" train --lr
expect_fail 2 "unknown model 'lenet'" train --model lenet
expect_fail 2 "model file '$tmp/missing.ember' does not exist" info "$tmp/missing.ember"
expect_fail 2 "checkpoint '$tmp/nope' does not exist" train --resume "$tmp/nope"
expect_fail 2 "ember: unknown command 'trian'" trian
printf 'EMBERMDL but not really a model file' >"$tmp/bad.ember"
expect_fail 2 "bad.ember" info "$tmp/bad.ember"
expect_ok train --help && grep -q -- "--checkpoint-dir" "$tmp/out" || { echo "FAIL: train --help lists no --checkpoint-dir"; failures=$((failures + 1)); }

if [[ -s "$root/data/mnist/t10k-images-idx3-ubyte" ]]; then
  # One epoch of LeNet-5 on MNIST, then the saved model through info, evaluate and predict.
  if expect_ok train --model lenet5 --data mnist --data-dir "$root/data/mnist" --epochs 1 --batch-size 64 \
      --save "$tmp/lenet.ember" --checkpoint-dir "$tmp/ckpt" --summary-dir "$tmp/tb" --log-every 200; then
    acc=$(sed -n 's/^test accuracy: \([0-9.]*\)%.*/\1/p' "$tmp/out")
    awk -v a="$acc" 'BEGIN { exit !(a > 95) }' || { echo "FAIL: test accuracy '$acc' after one epoch"; failures=$((failures + 1)); }
    grep -q "Trained 64 records" "$tmp/out" || { echo "FAIL: no BigDL-style log line"; failures=$((failures + 1)); }
    [[ -f "$tmp/ckpt/latest" ]] || { echo "FAIL: no checkpoint"; failures=$((failures + 1)); }
    ls "$tmp/tb/lenet5/train/"events.out.tfevents.* >/dev/null 2>&1 || { echo "FAIL: no event file"; failures=$((failures + 1)); }
    expect_ok info "$tmp/lenet.ember" && grep -q "parameters: 22278" "$tmp/out" || { echo "FAIL: info"; cat "$tmp/out"; failures=$((failures + 1)); }
    expect_ok evaluate "$tmp/lenet.ember" --data mnist --data-dir "$root/data/mnist"
    eval_acc=$(sed -n 's/.*Top1Accuracy is Accuracy(correct: [0-9]*, count: 10000, accuracy: \([0-9.]*\)).*/\1/p' "$tmp/out")
    awk -v a="$eval_acc" -v b="$acc" 'BEGIN { exit !(a * 100 - b < 0.01 && b - a * 100 < 0.01) }' ||
      { echo "FAIL: evaluate gives '$eval_acc', training reported $acc%"; failures=$((failures + 1)); }
    expect_ok predict "$tmp/lenet.ember" --data mnist --data-dir "$root/data/mnist" --limit 5
    [[ $(wc -l <"$tmp/out") -eq 6 ]] && head -1 "$tmp/out" | grep -q "index,prediction,probability,label" ||
      { echo "FAIL: predict output"; cat "$tmp/out"; failures=$((failures + 1)); }
  fi
else
  echo "MNIST not fetched: skipping the training part"
  [[ $failures -eq 0 ]] && exit 77
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures CLI check(s) failed"
  exit 1
fi
echo "all CLI checks passed"
