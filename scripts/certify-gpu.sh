#!/usr/bin/env bash
# Certify every CUDA/cuDNN backend, eager and compiled, on this machine's GPU: one command.
#
#   scripts/certify-gpu.sh [PROFILE] [OUT]     PROFILE: ci (default) | dev | thorough; OUT: reports/gpu
#
# Needs a CUDA build of torch and convconf's runtime packages (numpy, scipy, hypothesis, pytest)
# already installed; no network.  Runs from a checkout (PYTHONPATH is set to it), one backend after
# another with every core as a certify job, then writes OUT/compare.md (one matrix across them) and
# OUT/summary.txt (device, versions, time and verdict per backend).  Exit 0 when every backend is
# conformant (known issues excepted), 1 otherwise, 2 when there is no usable GPU.
set -uo pipefail
cd "$(dirname "$0")/.."
PROFILE=${1:-ci}
OUT=${2:-reports/gpu}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$OUT"
if ! python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
  echo "certify-gpu: torch.cuda.is_available() is False here: no GPU to certify" >&2
  exit 2
fi
python3 -c "import torch; print('device:', torch.cuda.get_device_name(0), '| torch', torch.__version__, \
'| CUDA', torch.version.cuda, '| cuDNN', torch.backends.cudnn.version())" | tee "$OUT/summary.txt"
backends=$(python3 -c "from conformance.backends.torch.backend import BUILTIN
print(' '.join(name for name, s in BUILTIN.items() if s.device.startswith('cuda')))")
status=0
for backend in $backends; do
  started=$(date +%s)
  python3 -m conformance certify --backend "$backend" --profile "$PROFILE" --out "$OUT/$backend" \
    > "$OUT/$backend.log" 2>&1
  rc=$?
  [ "$rc" -eq 0 ] || status=1
  verdict=$(grep -E "^(Conformant|NOT conformant)" "$OUT/$backend.log" | tail -1)
  echo "$backend: exit $rc in $(( $(date +%s) - started )) s: ${verdict:-no verdict (see $OUT/$backend.log)}" \
    | tee -a "$OUT/summary.txt"
done
python3 -m conformance compare "$OUT"/*/report.json > "$OUT/compare.md" 2>> "$OUT/summary.txt"
echo "reports: $OUT/<backend>/report.html; matrix: $OUT/compare.md" | tee -a "$OUT/summary.txt"
exit $status
