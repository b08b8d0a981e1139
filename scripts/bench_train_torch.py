"""The PyTorch reference for the training-step benchmark: the median milliseconds of one optimizer
step (forward + backward + Adam step + zero_grad) of the TinyEncoder on a copy task, float64,
one thread, eager mode, after warm-up; and of a GRU tagger and an encoder-decoder (bench_gru, bench_seq2seq). Prints exactly
four lines:

    train-step tiny (pytorch): X ms
    train-step small (pytorch): Y ms
    train-step gru (pytorch): Z ms
    train-step seq2seq (pytorch): W ms

tiny:  V 20,  d 32,  heads 2, ffn 64,  1 block,  sequence 16, batch 32; 20 warm-up, median of 200.
small: V 100, d 128, heads 4, ffn 512, 2 blocks, sequence 64, batch 16; 3 warm-up, median of 20.
`--steps N` overrides the number of timed steps of both (`--warmup N` the warm-up).
Needs PyTorch (pip install torch); nothing in `make test` runs it.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as ref  # noqa: E402

CASES = [
    # name, vocabulary, d, heads, ffn, blocks, sequence, batch, warm-up, steps
    ("tiny", 20, 32, 2, 64, 1, 16, 32, 20, 200),
    ("small", 100, 128, 4, 512, 2, 64, 16, 3, 20),
]


def bench(vocabulary, d, heads, ffn, blocks, length, batch, warmup, steps, seed=0):
    rng = np.random.default_rng(seed)
    P = ref.to_parameters(ref.initial_values(ref.encoder_spec(vocabulary, d, ffn, blocks), rng,
                                             matrix_scale="fan_in"))
    optimizer = torch.optim.Adam(list(P.values()), lr=1e-3)
    positions = ref.positional_encoding(length, d)            # built once
    mask = ref.padding_mask([length] * batch, length)          # built once (no padding: all zeros)
    batches = [torch.from_numpy(rng.integers(0, vocabulary, (batch, length)))
               for _ in range(warmup + steps)]                 # drawn before timing

    def step(ids):
        logits = ref.encoder_logits(P, ids, heads, blocks, mask, positions)
        loss = ref.cross_entropy(logits, ids)                  # copy task: targets = inputs
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss

    times = []
    for i, ids in enumerate(batches):
        start = time.perf_counter()
        step(ids)
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed)
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    return median * 1000


def bench_gru(warmup, steps, seed=0):
    """The GRU step: nn.Embedding(20, 32) -> nn.GRU(32, 64, batch_first) -> nn.Linear(64, 20),
    cross-entropy on the copy task, batch 32 of sequence 16, Adam."""
    torch.manual_seed(seed)
    model = torch.nn.ModuleDict({"embedding": torch.nn.Embedding(20, 32),
                                 "gru": torch.nn.GRU(32, 64, batch_first=True),
                                 "head": torch.nn.Linear(64, 20)})
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(seed)
    batches = [torch.from_numpy(rng.integers(0, 20, (32, 16))) for _ in range(warmup + steps)]

    def loss_of(ids):
        out, _ = model["gru"](model["embedding"](ids))
        return torch.nn.functional.cross_entropy(model["head"](out).reshape(-1, 20), ids.reshape(-1))

    return median_step_ms(batches, warmup, loss_of, optimizer)


def median_step_ms(batches, warmup, loss_of, optimizer):
    """The median milliseconds of loss, backward, step and zero_grad over the batches after warm-up."""
    times = []
    for i, ids in enumerate(batches):
        start = time.perf_counter()
        loss_of(ids).backward()
        optimizer.step()
        optimizer.zero_grad()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2] * 1000


def bench_seq2seq(warmup, steps, seed=0):
    """The seq2seq step: the reference encoder-decoder (torch_reference.seq2seq_logits, the
    architecture of the core's Seq2Seq) with V 20, d 32, 2 heads, FFN 64, one block each, 32
    pairs of 8-token sequences, target = source, Adam."""
    rng = np.random.default_rng(seed)
    P = ref.to_parameters(ref.initial_values(ref.seq2seq_spec(20, 32, 64), rng, matrix_scale="fan_in"))
    optimizer = torch.optim.Adam(list(P.values()), lr=1e-3)
    mask = ref.padding_mask([8] * 32, 8)
    batches = [torch.from_numpy(rng.integers(0, 20, (32, 8))) for _ in range(warmup + steps)]
    return median_step_ms(
        batches, warmup, lambda ids: ref.cross_entropy(ref.seq2seq_logits(P, ids, ids, 2, mask), ids), optimizer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, help="timed steps of every case (default 200 tiny, 20 small)")
    parser.add_argument("--warmup", type=int, help="warm-up steps of every case (default 20 tiny, 3 small)")
    args = parser.parse_args()
    ref.setup()
    for name, vocabulary, d, heads, ffn, blocks, length, batch, warmup, steps in CASES:
        ms = bench(vocabulary, d, heads, ffn, blocks, length, batch,
                   args.warmup if args.warmup is not None else warmup,
                   args.steps if args.steps is not None else steps)
        print(f"train-step {name} (pytorch): {ms:.3f} ms", flush=True)
    ms = bench_gru(args.warmup if args.warmup is not None else 10, args.steps if args.steps is not None else 100)
    print(f"train-step gru (pytorch): {ms:.3f} ms", flush=True)
    ms = bench_seq2seq(args.warmup if args.warmup is not None else 10, args.steps if args.steps is not None else 100)
    print(f"train-step seq2seq (pytorch): {ms:.3f} ms", flush=True)


if __name__ == "__main__":
    main()
