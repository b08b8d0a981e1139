#!/usr/bin/env bash
# One optimizer step of the tiny and small models: core-bench train and, when torch is
# importable, the PyTorch eager equivalent, alternated over ROUNDS rounds (default 3) in one
# run so that both see the same machine. Both: float64, one thread, the same malloc settings
# as notebook programs (see Executor.programEnvironment).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_TOP_PAD_=67108864
torch=no
python3 -c "import torch" 2>/dev/null && torch=yes
for round in $(seq "$rounds"); do
  echo "round $round"
  .build/release/core-bench train
  if [ "$torch" = yes ]; then python3 scripts/bench_train_torch.py; else echo "(torch not installed: pip install torch)"; fi
done
