"""The numpy reference for core-bench: the same sizes and FLOP counts, one line per case."""
import time
import numpy as np


def measure(body):
    body()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < 0.3 and len(times) < 200):
        t0 = time.perf_counter()
        body()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def softmax_rows(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention(q, k, v):
    return softmax_rows(q @ k.T / np.sqrt(q.shape[1])) @ v


def report(name, seconds, flops):
    print(f"{name} {seconds * 1000:.3f} {flops / seconds / 1e9:.3f}")


rng = np.random.default_rng(0)
for n in [64, 256, 512, 1024]:
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    report(f"matmul_{n}", measure(lambda: a @ b), 2 * n ** 3)
for n in [128, 512, 1024, 2048]:
    d = 64
    q, k, v = (rng.standard_normal((n, d)) for _ in range(3))
    report(f"attention_{n}", measure(lambda: attention(q, k, v)), 4 * n * n * d)
n, dm, h = 512, 512, 8
x = rng.standard_normal((n, dm))
wq, wk, wv, wo = (rng.standard_normal((dm, dm)) for _ in range(4))


def mha():
    q, k, v = x @ wq, x @ wk, x @ wv
    heads = [attention(q[:, i * 64:(i + 1) * 64], k[:, i * 64:(i + 1) * 64], v[:, i * 64:(i + 1) * 64]) for i in range(h)]
    return np.hstack(heads) @ wo


report("mha_512_512_8", measure(mha), 4 * 2 * n * dm * dm + 4 * n * n * dm)
