"""Writes the PyTorch reference fixtures for TransformerCore's gradients and optimizers:
Tests/TransformerCoreTests/Fixtures/torch-encoder.json, torch-seq2seq.json, torch-gru.json and
torch-lstm.json (and the others that main() names).

    python3 scripts/make_torch_fixtures.py [encoder] [seq2seq] [recurrent] [losses] [dropout]   # all when none named

Needs PyTorch (pip install torch); `make test` does not: the Swift tests read the JSON only.
Before writing, it checks the PyTorch model against an independent numpy forward pass (loss and
logits to 1e-12) and three gradient entries per model against central finite differences
(h = 1e-6, relative error < 1e-6), and prints the results.

Each file: {"torch", "config", "inputs", "parameters", "loss", "logits", "gradients", "checks"}
and, for the encoder, "optimizers" (adam, adamw, sgdMomentum, adamClipped: 5 steps on the same
batch; "losses"[k] is the loss computed in step k+1, before that step's update; "parameters" are
the values after step 5). Logits rows are batch-major: row b*T + t.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as ref  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "TransformerCoreTests", "Fixtures")

ENCODER_SEED = 20240611
SEQ2SEQ_SEED = 20240612
CHECK_SEED = 7
STEPS = 5


# ---------------------------------------------------------------- numpy forward (independent)

def np_layer_norm(x, gain, bias, eps=ref.LAYER_NORM_EPSILON):
    out = np.empty_like(x)
    for i, row in enumerate(x):
        m = row.sum() / len(row)
        var = ((row - m) ** 2).sum() / len(row)
        out[i] = (row - m) / math.sqrt(var + eps) * gain + bias
    return out


def np_gelu(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def np_softmax_row(s):
    e = np.exp(s - s.max())
    return e / e.sum()


def np_positions(n, d):
    pe = np.zeros((n, d))
    for p in range(n):
        for i in range(0, d, 2):
            angle = p / 10000 ** (i / d)
            pe[p, i] = math.sin(angle)
            if i + 1 < d:
                pe[p, i + 1] = math.cos(angle)
    return pe


def np_attention(xq, xkv, W, name, heads, allowed):
    """One sequence; allowed[i][j] says whether query i may see key j."""
    d = xq.shape[1]
    dk = d // heads
    q = xq @ W[f"{name}.wQ"] + W[f"{name}.bQ"]
    k = xkv @ W[f"{name}.wK"] + W[f"{name}.bK"]
    v = xkv @ W[f"{name}.wV"] + W[f"{name}.bV"]
    concat = np.zeros((xq.shape[0], d))
    for h in range(heads):
        cols = slice(h * dk, (h + 1) * dk)
        for i in range(xq.shape[0]):
            s = np.array([q[i, cols] @ k[j, cols] / math.sqrt(dk) + (0.0 if allowed[i][j] else ref.MASK_FILL)
                          for j in range(xkv.shape[0])])
            concat[i, cols] = np_softmax_row(s) @ v[:, cols]
    return concat @ W[f"{name}.wO"] + W[f"{name}.bO"]


def np_feed_forward(x, W, name):
    return np_gelu(x @ W[f"{name}.w1"] + W[f"{name}.b1"]) @ W[f"{name}.w2"] + W[f"{name}.b2"]


def np_encoder_block(x, W, name, heads, allowed):
    n1 = np_layer_norm(x, W[f"{name}.norm1.gain"], W[f"{name}.norm1.bias"])
    h = x + np_attention(n1, n1, W, f"{name}.attention", heads, allowed)
    return h + np_feed_forward(np_layer_norm(h, W[f"{name}.norm2.gain"], W[f"{name}.norm2.bias"]),
                               W, f"{name}.feedForward")


def np_cross_entropy(logits, targets):
    total, count = 0.0, 0
    for row, t in zip(logits, targets):
        if t == ref.IGNORE_INDEX:
            continue
        m = row.max()
        total += m + math.log(np.exp(row - m).sum()) - row[t]
        count += 1
    return total / count


def np_encoder(W, ids, valid, heads, blocks):
    rows = []
    for seq, n in zip(ids, valid):
        t = len(seq)
        x = np.array([W["embedding.weight"][tok] for tok in seq]) + np_positions(t, W["embedding.weight"].shape[1])
        allowed = [[j < n for j in range(t)] for _ in range(t)]
        for i in range(blocks):
            x = np_encoder_block(x, W, f"blocks.{i}", heads, allowed)
        rows.append(np_layer_norm(x, W["norm.gain"], W["norm.bias"]) @ W["head.weight"] + W["head.bias"])
    return np.concatenate(rows)


def np_seq2seq(W, source, target, valid, heads):
    rows = []
    d = W["sourceEmbedding.weight"].shape[1]
    for src, tgt, n in zip(source, target, valid):
        ts, tt = len(src), len(tgt)
        x = np.array([W["sourceEmbedding.weight"][tok] for tok in src]) + np_positions(ts, d)
        x = np_encoder_block(x, W, "encoder.0", heads, [[j < n for j in range(ts)] for _ in range(ts)])
        memory = np_layer_norm(x, W["encoderNorm.gain"], W["encoderNorm.bias"])
        y = np.array([W["targetEmbedding.weight"][tok] for tok in tgt]) + np_positions(tt, d)
        n1 = np_layer_norm(y, W["decoder.0.norm1.gain"], W["decoder.0.norm1.bias"])
        a = y + np_attention(n1, n1, W, "decoder.0.selfAttention", heads,
                             [[j <= i for j in range(tt)] for i in range(tt)])
        n2 = np_layer_norm(a, W["decoder.0.norm2.gain"], W["decoder.0.norm2.bias"])
        c = a + np_attention(n2, memory, W, "decoder.0.crossAttention", heads,
                             [[j < n for j in range(ts)] for _ in range(tt)])
        out = c + np_feed_forward(np_layer_norm(c, W["decoder.0.norm3.gain"], W["decoder.0.norm3.bias"]),
                                  W, "decoder.0.feedForward")
        rows.append(np_layer_norm(out, W["decoderNorm.gain"], W["decoderNorm.bias"]) @ W["head.weight"]
                    + W["head.bias"])
    return np.concatenate(rows)


# ---------------------------------------------------------------- inputs

def draw_tokens(rng, count, vocabulary):
    """`count` >= vocabulary token ids in which every id occurs (so every embedding row gets a
    gradient), in an order drawn from rng."""
    tokens = np.concatenate([rng.permutation(vocabulary), rng.integers(0, vocabulary, count - vocabulary)])
    return [int(t) for t in rng.permutation(tokens)]


def fill_rows(tokens, valid, length):
    """Rows of `length` ids: the next valid[b] tokens, then 0 (padding)."""
    rows, it = [], iter(tokens)
    for n in valid:
        rows.append([next(it) if p < n else 0 for p in range(length)])
    return rows


# ---------------------------------------------------------------- checks

def finite_difference_check(values, loss_of, gradients, rng, count=3, h=1e-6):
    """Central differences of the loss for `count` random parameter entries, in torch.
    Returns a list of {name, index, analytic, numeric, relativeError}."""
    names = list(values)
    results = []
    while len(results) < count:
        name = names[rng.integers(len(names))]
        index = tuple(int(rng.integers(s)) for s in values[name].shape)
        analytic = float(gradients[name][index])
        if abs(analytic) < 1e-4:  # too small to measure a relative error at h = 1e-6; draw again
            continue

        def loss_at(delta):
            shifted = {k: v.copy() for k, v in values.items()}
            shifted[name][index] += delta
            with torch.no_grad():
                return float(loss_of(ref.to_parameters(shifted)))

        numeric = (loss_at(h) - loss_at(-h)) / (2 * h)
        rel = abs(numeric - analytic) / max(abs(analytic), abs(numeric))
        results.append({"name": name, "index": list(index), "analytic": analytic, "numeric": numeric,
                        "relativeError": rel})
    return results


def report_checks(label, numpy_loss, torch_loss, logits_diff, fd):
    loss_diff = abs(numpy_loss - torch_loss)
    print(f"{label}: loss torch {torch_loss!r}, numpy {numpy_loss!r}, |diff| {loss_diff:.3e}; "
          f"logits max |diff| {logits_diff:.3e}")
    assert loss_diff <= 1e-12, f"{label}: numpy and torch losses differ by {loss_diff}"
    assert logits_diff <= 1e-12, f"{label}: numpy and torch logits differ by {logits_diff}"
    for r in fd:
        print(f"{label}: d loss / d {r['name']}{r['index']}: autograd {r['analytic']!r}, "
              f"finite difference {r['numeric']!r}, relative error {r['relativeError']:.3e}")
        assert r["relativeError"] < 1e-6, f"{label}: finite-difference check failed for {r}"
    return {"numpyLoss": numpy_loss, "numpyLossDifference": loss_diff, "numpyLogitsMaxDifference": logits_diff,
            "finiteDifferences": fd}


# ---------------------------------------------------------------- optimizers

def numpy_step(kind, hyper, params, grads, state, t):
    """The update rule the Swift side implements, in numpy, to confirm the documented formulas
    (t = 1-based step; `grads` already clipped)."""
    lr = hyper["lr"]
    for k in params:
        g = grads[k]
        if kind == "sgd":
            buf = g.copy() if t == 1 else hyper["momentum"] * state[k] + g
            state[k] = buf
            params[k] = params[k] - lr * buf
            continue
        b1, b2 = hyper["betas"]
        if kind == "adamw":
            params[k] = params[k] * (1 - lr * hyper["weightDecay"])
        m, v = state.get(k, (np.zeros_like(g), np.zeros_like(g)))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        state[k] = (m, v)
        params[k] = params[k] - lr / (1 - b1 ** t) * m / (np.sqrt(v) / math.sqrt(1 - b2 ** t) + hyper["eps"])


def run_optimizer(values, loss_of, make, kind, hyper, clip=None, steps=STEPS):
    P = ref.to_parameters(values)
    params = list(P.values())
    opt = make(params)
    losses, norms = [], []
    mirror, state, mirror_norms = {k: v.copy() for k, v in values.items()}, {}, []
    for t in range(1, steps + 1):
        opt.zero_grad()
        loss = loss_of(P)
        loss.backward()
        grads = {k: v.grad.numpy().copy() for k, v in P.items()}
        if clip is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, max_norm=clip)))
            total = math.sqrt(sum(float((g * g).sum()) for g in grads.values()))
            mirror_norms.append(total)
            coef = min(clip / (total + 1e-6), 1.0)
            grads = {k: g * coef for k, g in grads.items()}
        opt.step()
        losses.append(loss.item())
        # The numpy mirror applies the documented rule to torch's gradient (taken at torch's iterate,
        # which the mirror's agrees with to rounding), so it checks the update rule alone.
        numpy_step(kind, hyper, mirror, grads, state, t)
    result = {k: v.detach().numpy() for k, v in P.items()}
    difference = max(float(np.abs(result[k] - mirror[k]).max()) for k in result)
    norm_difference = max((abs(a - b) for a, b in zip(norms, mirror_norms)), default=0.0)
    return losses, norms, result, difference, norm_difference


def optimizers(values, loss_of):
    out, checks = {}, {}
    adam = {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weightDecay": 0.0}
    cases = [
        ("adam", "adam", adam, lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.9, 0.999), eps=1e-8), None),
        ("adamw", "adamw", dict(adam, weightDecay=0.1),
         lambda p: torch.optim.AdamW(p, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1), None),
        ("sgdMomentum", "sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "nesterov": False, "weightDecay": 0.0},
         lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), None),
        ("adamClipped", "adam", dict(adam, maxNorm=0.5),
         lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.9, 0.999), eps=1e-8), 0.5),
    ]
    for name, kind, hyper, make, clip in cases:
        losses, norms, params, diff, norm_diff = run_optimizer(values, loss_of, make, kind, hyper, clip)
        entry = {"hyperparameters": dict(hyper, steps=STEPS), "losses": losses}
        if clip is not None:
            entry["norms"] = norms
        entry["parameters"] = params
        out[name] = entry
        checks[name] = {"numpyParametersMaxDifference": diff}
        if clip is not None:
            checks[name]["numpyNormsMaxDifference"] = norm_diff
        print(f"{name}: losses {', '.join(f'{x:.6f}' for x in losses)}"
              + (f"; norms {', '.join(f'{x:.6f}' for x in norms)}" if norms else "")
              + f"; numpy update rule: parameters max |diff| {diff:.3e}"
              + (f", norms max |diff| {norm_diff:.3e}" if norms else ""))
        assert diff <= 1e-12 and norm_diff <= 1e-12, f"{name}: the numpy update rule disagrees with torch"
    return out, checks


# ---------------------------------------------------------------- JSON writer

def _scalar(x):
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        f = float(x)
        assert math.isfinite(f), f
        return repr(f)  # shortest string that round-trips
    if isinstance(x, str):
        import json
        return json.dumps(x)
    if x is None:
        return "null"
    raise TypeError(type(x))


def _is_flat(x):
    return isinstance(x, list) and all(not isinstance(e, (list, dict)) for e in x)


def _write(x, indent):
    pad = "  " * indent
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, dict):
        if not x:
            return "{}"
        items = [f'{pad}  {_scalar(str(k))}: {_write(v, indent + 1)}' for k, v in x.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(x, (list, tuple)):
        x = [e.tolist() if isinstance(e, np.ndarray) else e for e in x]
        if _is_flat(x):  # a vector, or a matrix row: one line
            return "[" + ",".join(_scalar(e) for e in x) + "]"
        if all(_is_flat(e) for e in x):  # a matrix: one row per line
            return "[\n" + ",\n".join(f"{pad}  " + _write(e, indent + 1) for e in x) + "\n" + pad + "]"
        return "[\n" + ",\n".join(f"{pad}  " + _write(e, indent + 1) for e in x) + "\n" + pad + "]"
    return _scalar(x)


def write_json(path, obj):
    text = _write(obj, 0) + "\n"
    import json
    assert json.loads(text) is not None  # it parses
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(text.encode())} bytes)")


def as_lists(values):
    return {k: np.asarray(v).tolist() for k, v in values.items()}


# ---------------------------------------------------------------- cases

def encoder_inputs(rng, V, d, ffn, blocks, T, valid):
    """A TinyEncoder's initial values, padded ids and targets (ignored past each valid length)."""
    values = ref.initial_values(ref.encoder_spec(V, d, ffn, blocks), rng)
    ids = fill_rows(draw_tokens(rng, sum(valid), V), valid, T)
    targets = rng.integers(0, V, (len(valid), T)).tolist()
    for b, n in enumerate(valid):
        for p in range(n, T):
            targets[b][p] = ref.IGNORE_INDEX
    return values, ids, targets


def encoder_case():
    V, d, heads, ffn, blocks, B, T = 7, 8, 2, 16, 2, 2, 5
    valid = [5, 3]
    rng = np.random.default_rng(ENCODER_SEED)
    values, ids, targets = encoder_inputs(rng, V, d, ffn, blocks, T, valid)
    targets[0][2] = ref.IGNORE_INDEX  # one real position ignored too

    ids_t, targets_t = torch.tensor(ids), torch.tensor(targets)
    mask = ref.padding_mask(valid, T)

    def logits_of(P):
        return ref.encoder_logits(P, ids_t, heads, blocks, mask)

    def loss_of(P):
        return ref.cross_entropy(logits_of(P), targets_t)

    loss, logits_rows, gradients = loss_logits_gradients("encoder", values, logits_of, targets_t, B * T, V)

    np_logits = np_encoder(values, ids, valid, heads, blocks)
    np_loss = float(np_cross_entropy(np_logits, [t for row in targets for t in row]))
    fd = finite_difference_check(values, loss_of, gradients, np.random.default_rng(CHECK_SEED))
    checks = report_checks("encoder", np_loss, loss, float(np.abs(np_logits - logits_rows).max()), fd)
    optimizer_results, checks["optimizers"] = optimizers(values, loss_of)

    return {
        "torch": torch.__version__,
        "config": {"model": "TinyEncoder", "vocabulary": V, "dimension": d, "heads": heads, "ffn": ffn,
                   "blocks": blocks, "batch": B, "length": T, "seed": ENCODER_SEED,
                   "maskFill": ref.MASK_FILL, "layerNormEpsilon": ref.LAYER_NORM_EPSILON,
                   "ignoreIndex": ref.IGNORE_INDEX, "gelu": "tanh"},
        "inputs": {"ids": ids, "validLengths": valid, "targets": targets},
        "parameters": as_lists(values),
        "loss": loss,
        "logits": logits_rows.tolist(),
        "gradients": as_lists(gradients),
        "checks": checks,
        "optimizers": optimizer_results,
    }


def loss_logits_gradients(name, values, logits_of, targets_t, rows, V):
    """PyTorch's loss, logits (rows × V) and every parameter's gradient; no gradient may be all zero."""
    P = ref.to_parameters(values)
    logits = logits_of(P)
    loss = ref.cross_entropy(logits, targets_t)
    loss.backward()
    gradients = {k: v.grad.numpy().copy() for k, v in P.items()}
    zero = [k for k, g in gradients.items() if not np.any(g)]
    assert not zero, f"{name}: zero gradients for {zero}"
    return loss.item(), logits.detach().reshape(rows, V).numpy(), gradients


def seq2seq_case():
    V, d, heads, ffn, B, Ts, Tt = 7, 8, 2, 16, 2, 5, 4
    valid = [5, 4]
    rng = np.random.default_rng(SEQ2SEQ_SEED)
    values = ref.initial_values(ref.seq2seq_spec(V, d, ffn), rng)
    source = fill_rows(draw_tokens(rng, sum(valid), V), valid, Ts)
    target = fill_rows(draw_tokens(rng, B * Tt, V), [Tt] * B, Tt)
    targets = rng.integers(0, V, (B, Tt)).tolist()
    targets[1][2] = ref.IGNORE_INDEX

    source_t, target_t, targets_t = torch.tensor(source), torch.tensor(target), torch.tensor(targets)
    mask = ref.padding_mask(valid, Ts)

    def logits_of(P):
        return ref.seq2seq_logits(P, source_t, target_t, heads, mask)

    def loss_of(P):
        return ref.cross_entropy(logits_of(P), targets_t)

    loss, logits_rows, gradients = loss_logits_gradients("seq2seq", values, logits_of, targets_t, B * Tt, V)

    np_logits = np_seq2seq(values, source, target, valid, heads)
    np_loss = float(np_cross_entropy(np_logits, [t for row in targets for t in row]))
    fd = finite_difference_check(values, loss_of, gradients, np.random.default_rng(CHECK_SEED + 1))
    checks = report_checks("seq2seq", np_loss, loss, float(np.abs(np_logits - logits_rows).max()), fd)

    return {
        "torch": torch.__version__,
        "config": {"model": "TinySeq2Seq", "vocabulary": V, "dimension": d, "heads": heads, "ffn": ffn,
                   "encoderBlocks": 1, "decoderBlocks": 1, "batch": B, "sourceLength": Ts, "targetLength": Tt,
                   "seed": SEQ2SEQ_SEED, "maskFill": ref.MASK_FILL, "layerNormEpsilon": ref.LAYER_NORM_EPSILON,
                   "ignoreIndex": ref.IGNORE_INDEX, "gelu": "tanh"},
        "inputs": {"source": source, "validLengths": valid, "target": target, "targets": targets},
        "parameters": as_lists(values),
        "loss": loss,
        "logits": logits_rows.tolist(),
        "gradients": as_lists(gradients),
        "checks": checks,
    }

RECURRENT_SEED = 20240613


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_recurrent(kind, P, x, lengths, h0, c0):
    """An independent numpy forward of a batch_first GRU/LSTM with packed lengths: outputs
    [B*T, H] (zero past a length) and the last valid states. Weights in the core's [in, out]."""
    B = len(lengths)
    T = x.shape[0] // B
    H = h0.shape[1]
    h, c = h0.copy(), c0.copy()
    out = np.zeros((B * T, H))
    for t in range(T):
        xt = x[[b * T + t for b in range(B)]]
        gi = xt @ P["weight_ih_l0"] + P["bias_ih_l0"]
        gh = h @ P["weight_hh_l0"] + P["bias_hh_l0"]
        if kind == "gru":
            r = np_sigmoid(gi[:, :H] + gh[:, :H])
            z = np_sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
            n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
            hn, cn = (1 - z) * n + z * h, c
        else:
            g = gi + gh
            i, f = np_sigmoid(g[:, :H]), np_sigmoid(g[:, H:2 * H])
            gg, o = np.tanh(g[:, 2 * H:3 * H]), np_sigmoid(g[:, 3 * H:])
            cn = f * c + i * gg
            hn = o * np.tanh(cn)
        for b in range(B):
            if t < lengths[b]:
                h[b], c[b] = hn[b], cn[b]
                out[b * T + t] = hn[b]
    return out, h, c


def recurrent_case(kind):
    """torch.nn.GRU / LSTM (batch_first, one layer, both biases) over a packed batch of
    B = 3 sequences of T = 5 with valid lengths [5, 2, 4], from given initial states; the loss is
    sum(outputs * R) + sum(h_n * S) (+ sum(c_n * U)) with fixed random R, S, U, so every output
    and state carries gradient. Parameters are in the core's layout: weights [in, out]
    (PyTorch's transposed), biases 1 x gates*H."""
    I, H, B, T = 3, 4, 3, 5
    lengths = [5, 2, 4]
    gates = 3 if kind == "gru" else 4
    rng = np.random.default_rng(RECURRENT_SEED + gates)
    bound = 1 / math.sqrt(H)
    values = {
        "weight_ih_l0": rng.uniform(-bound, bound, (I, gates * H)),
        "weight_hh_l0": rng.uniform(-bound, bound, (H, gates * H)),
        "bias_ih_l0": rng.uniform(-bound, bound, (1, gates * H)),
        "bias_hh_l0": rng.uniform(-bound, bound, (1, gates * H)),
    }
    x = rng.normal(size=(B * T, I))
    h0, c0 = rng.normal(size=(B, H)) * 0.5, rng.normal(size=(B, H)) * 0.5
    R, S, U = rng.normal(size=(B * T, H)), rng.normal(size=(B, H)), rng.normal(size=(B, H))

    module = (torch.nn.GRU if kind == "gru" else torch.nn.LSTM)(I, H, batch_first=True)

    def run(P, x_t, h0_t, c0_t):
        params = {k: P[k] for k in values}
        torch_params = {k: (v.T if k.startswith("weight") else v.reshape(-1)) for k, v in params.items()}
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            x_t.reshape(B, T, I), torch.tensor(lengths), batch_first=True, enforce_sorted=False)
        state = h0_t.unsqueeze(0) if kind == "gru" else (h0_t.unsqueeze(0), c0_t.unsqueeze(0))
        out, hn = torch.func.functional_call(module, torch_params, (packed, state))
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)
        if kind == "gru":
            h_last, c_last = hn[0], None
        else:
            h_last, c_last = hn[0][0], hn[1][0]
        return out.reshape(B * T, H), h_last, c_last

    def loss_from(out, h_last, c_last):
        loss = (out * torch.tensor(R)).sum() + (h_last * torch.tensor(S)).sum()
        if c_last is not None:
            loss = loss + (c_last * torch.tensor(U)).sum()
        return loss

    P = {k: torch.tensor(v, requires_grad=True) for k, v in values.items()}
    x_t = torch.tensor(x, requires_grad=True)
    h0_t, c0_t = torch.tensor(h0, requires_grad=True), torch.tensor(c0, requires_grad=True)
    out, h_last, c_last = run(P, x_t, h0_t, c0_t)
    loss = loss_from(out, h_last, c_last)
    loss.backward()
    gradients = {k: P[k].grad.numpy() for k in values}
    gradients.update({"x": x_t.grad.numpy(), "h0": h0_t.grad.numpy()})
    if kind == "lstm":
        gradients["c0"] = c0_t.grad.numpy()

    np_out, np_h, np_c = np_recurrent(kind, values, x, lengths, h0, c0)
    np_loss = float((np_out * R).sum() + (np_h * S).sum() + ((np_c * U).sum() if kind == "lstm" else 0))

    def loss_of(Pt):
        with torch.no_grad():
            return loss_from(*run(Pt, torch.tensor(x), torch.tensor(h0), torch.tensor(c0)))

    fd = finite_difference_check(values, loss_of, gradients, np.random.default_rng(CHECK_SEED))
    checks = report_checks(kind, np_loss, float(loss.detach()), float(np.abs(np_out - out.detach().numpy()).max()), fd)
    result = {
        "torch": torch.__version__,
        "config": {"model": kind.upper(), "inputs": I, "hidden": H, "batch": B, "length": T,
                   "seed": RECURRENT_SEED + gates,
                   "loss": "sum(outputs*R) + sum(h_n*S)" + (" + sum(c_n*U)" if kind == "lstm" else "")},
        "inputs": {"x": x, "validLengths": lengths, "h0": h0, "c0": c0, "R": R, "S": S, "U": U},
        "parameters": as_lists(values),
        "loss": float(loss),
        "outputs": out.detach().numpy(),
        "last": h_last.detach().numpy(),
        "gradients": as_lists(gradients),
        "checks": checks,
    }
    if kind == "lstm":
        result["cell"] = c_last.detach().numpy()
    return result



def label_smoothing_case():
    """F.cross_entropy(label_smoothing=0.1, ignore_index=-100) of 4 rows of 5 logits, one row
    ignored: the loss and its gradient; and the Annotated Transformer's `rate` through
    LambdaLR (d_model 512, warm-up 4000, factor 2) at a few steps."""
    rng = np.random.default_rng(RECURRENT_SEED + 10)
    logits = rng.normal(size=(4, 5)) * 2
    targets = [3, -100, 0, 4]
    z = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(z, torch.tensor(targets), label_smoothing=0.1)
    loss.backward()

    def rate(step, model_size, factor, warmup):  # the Annotated Transformer's, verbatim
        if step == 0:
            step = 1
        return factor * (model_size ** (-0.5) * min(step ** (-0.5), step * warmup ** (-1.5)))

    opt = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda s: rate(s, 512, 2, 4000))
    rates = {}
    for step in range(0, 20001):
        if step in (0, 1, 100, 3999, 4000, 4001, 20000):
            rates[str(step)] = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
    return {"torch": torch.__version__, "logits": logits, "targets": targets, "labelSmoothing": 0.1,
            "loss": float(loss.detach()), "gradient": z.grad.numpy(),
            "rate": {"modelSize": 512, "warmup": 4000, "factor": 2, "learningRates": rates}}


def additive_attention_case():
    """d2l's AdditiveAttention (W_q, W_k, w_v without biases, tanh features, masked_softmax over
    valid_lens) on B = 2 sequences of 3 queries and 4 keys, valid lengths [4, 2]; the loss is
    sum(output * R). Weights in the core's [in, out] layout."""
    rng = np.random.default_rng(RECURRENT_SEED + 20)
    B, TQ, TK, DQ, DK, DV, H = 2, 3, 4, 5, 3, 2, 6
    values = {"wQ": rng.normal(size=(DQ, H)) * 0.5, "wK": rng.normal(size=(DK, H)) * 0.5,
              "wV": rng.normal(size=(H, 1)) * 0.5}
    q, k, v = rng.normal(size=(B * TQ, DQ)), rng.normal(size=(B * TK, DK)), rng.normal(size=(B * TK, DV))
    R = rng.normal(size=(B * TQ, DV))
    lengths = [4, 2]
    P = {n: torch.tensor(x, requires_grad=True) for n, x in values.items()}
    qt, kt, vt = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
    queries, keys = qt.reshape(B, TQ, DQ) @ P["wQ"], kt.reshape(B, TK, DK) @ P["wK"]
    features = torch.tanh(queries.unsqueeze(2) + keys.unsqueeze(1))
    scores = (features @ P["wV"]).squeeze(-1)  # [B, TQ, TK]
    mask = torch.arange(TK)[None, None, :] < torch.tensor(lengths)[:, None, None]
    weights = torch.softmax(scores.masked_fill(~mask, -1e6), dim=-1)  # d2l's masked_softmax
    out = (weights @ vt.reshape(B, TK, DV)).reshape(B * TQ, DV)
    loss = (out * torch.tensor(R)).sum()
    loss.backward()
    grads = {n: P[n].grad.numpy() for n in values}
    grads.update({"queries": qt.grad.numpy(), "keys": kt.grad.numpy(), "values": vt.grad.numpy()})
    return {"torch": torch.__version__, "inputs": {"queries": q, "keys": k, "values": v, "R": R,
            "validLengths": lengths}, "parameters": as_lists(values), "loss": float(loss.detach()),
            "output": out.detach().numpy(), "weights": weights.detach().numpy().reshape(B * TQ, TK),
            "gradients": as_lists(grads)}


# ---------------------------------------------------------------- dropout inside a model

MASK64 = (1 << 64) - 1
DROPOUT_SEED = 20240614


def split_mix(state):
    """SplitMix64's output for `state` (already advanced by the golden gamma)."""
    z = state & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def site_seed(seed, site):
    """The Swift core's siteSeed(seed, site): the seed of one dropout site of a seeded pass."""
    return split_mix(seed + (site + 1) * 0x9E3779B97F4A7C15)


class Xoshiro:
    """xoshiro256** seeded by four SplitMix64 outputs: the Swift core's SeededGenerator."""

    def __init__(self, seed):
        self.s = [split_mix(seed + (i + 1) * 0x9E3779B97F4A7C15) for i in range(4)]

    def next(self):
        s = self.s
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK64  # noqa: E731
        result = (rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53


def dropout_mask(rows, cols, p, seed):
    """The core's dropout(_:probability:seed:) mask: entry by entry, row after row, kept (scaled by
    1/(1 - p)) when its uniform draw is >= p."""
    g = Xoshiro(seed)
    return torch.tensor([[1 / (1 - p) if g.uniform() >= p else 0.0 for _ in range(cols)] for _ in range(rows)])


def dropped_attention(xq, xkv, P, name, heads, mask, p, seed):
    """ref.attention with dropout on the weights: sequence b, head h gets site b*heads + h."""
    b, tq, tk = xq.shape[0], xq.shape[1], xkv.shape[1]
    drop = torch.stack([torch.stack([dropout_mask(tq, tk, p, site_seed(seed, i * heads + h))
                                     for h in range(heads)]) for i in range(b)])
    return ref.attention(xq, xkv, P, name, heads, mask, weight_mask=drop)


def rows_dropout(x, p, seed):
    """Dropout on a [B, T, w] tensor as on the core's stacked [B*T, w] matrix."""
    b, t, w = x.shape
    return x * dropout_mask(b * t, w, p, seed).view(b, t, w)


def dropped_feed_forward(x, P, name, p, seed):
    """ref.feed_forward with its hidden layer dropped at site 0 of `seed`."""
    hidden = F.gelu(x @ P[f"{name}.w1"] + P[f"{name}.b1"], approximate="tanh")
    return rows_dropout(hidden, p, site_seed(seed, 0)) @ P[f"{name}.w2"] + P[f"{name}.b2"]


def dropped_encoder_block(x, P, name, heads, mask, p, s):
    """EncoderBlock in training: site 0 attention, 1 dropout1, 2 the feed-forward network, 3 dropout2."""
    n1 = ref.layer_norm(x, P, f"{name}.norm1")
    h = x + rows_dropout(dropped_attention(n1, n1, P, f"{name}.attention", heads, mask, p, site_seed(s, 0)),
                         p, site_seed(s, 1))
    f = dropped_feed_forward(ref.layer_norm(h, P, f"{name}.norm2"), P, f"{name}.feedForward", p, site_seed(s, 2))
    return h + rows_dropout(f, p, site_seed(s, 3))


def dropped_embedding(P, name, ids, p, seed):
    """Embeddings plus sinusoidal positions, dropped."""
    d = P[name].shape[1]
    return rows_dropout(P[name][ids] + ref.positional_encoding(ids.shape[1], d), p, seed)


def dropped_encoder_logits(P, ids, heads, blocks, mask, p, seed):
    """TinyEncoder in training mode with every dropout at rate p, masks from the pass seed `seed`:
    site 0 the embeddings plus positions, site 1 + i block i."""
    x = dropped_embedding(P, "embedding.weight", ids, p, site_seed(seed, 0))
    for i in range(blocks):
        x = dropped_encoder_block(x, P, f"blocks.{i}", heads, mask, p, site_seed(seed, i + 1))
    return ref.layer_norm(x, P, "norm") @ P["head.weight"] + P["head.bias"]


def dropped_seq2seq_logits(P, source, target, heads, source_mask, p, seed):
    """Seq2Seq (one block each) in training: sites 0 and 1 of the encoder as TinyEncoder's; the
    decoder's embeddings at site 1000, its block at 1001, inside which 0 self-attention, 1
    dropout1, 2 cross-attention, 3 dropout2, 4 the feed-forward network, 5 dropout3."""
    x = dropped_embedding(P, "sourceEmbedding.weight", source, p, site_seed(seed, 0))
    memory = ref.layer_norm(dropped_encoder_block(x, P, "encoder.0", heads, source_mask, p, site_seed(seed, 1)),
                            P, "encoderNorm")
    y = dropped_embedding(P, "targetEmbedding.weight", target, p, site_seed(seed, 1000))
    name, s = "decoder.0", site_seed(seed, 1001)
    n1 = ref.layer_norm(y, P, f"{name}.norm1")
    sa = dropped_attention(n1, n1, P, f"{name}.selfAttention", heads, ref.causal_mask(target.shape[1]), p,
                           site_seed(s, 0))
    a = y + rows_dropout(sa, p, site_seed(s, 1))
    ca = dropped_attention(ref.layer_norm(a, P, f"{name}.norm2"), memory, P, f"{name}.crossAttention", heads,
                           source_mask, p, site_seed(s, 2))
    c = a + rows_dropout(ca, p, site_seed(s, 3))
    f = dropped_feed_forward(ref.layer_norm(c, P, f"{name}.norm3"), P, f"{name}.feedForward", p, site_seed(s, 4))
    y = c + rows_dropout(f, p, site_seed(s, 5))
    return ref.layer_norm(y, P, "decoderNorm") @ P["head.weight"] + P["head.bias"]


def dropout_run(label, values, dropped_logits, eval_logits, targets_t, rows, V, check_seed):
    """PyTorch's loss, logits and gradients of a model in training, `dropped_logits(P, p)` at its
    rate; checks that rate 0 is `eval_logits(P)` (the model without dropout), that the masks move
    the loss, and three gradients against finite differences. Returns the fixture's entries from
    "parameters" on."""
    def loss_of(P):
        return ref.cross_entropy(dropped_logits(P, None), targets_t)

    loss, logits_rows, gradients = loss_logits_gradients(
        label, values, lambda P: dropped_logits(P, None), targets_t, rows, V)
    with torch.no_grad():
        P = ref.to_parameters(values)
        eval_loss = float(ref.cross_entropy(eval_logits(P), targets_t))
        no_drop = float(ref.cross_entropy(dropped_logits(P, 0.0), targets_t))
    assert abs(no_drop - eval_loss) < 1e-12, f"{label}: rate 0 is the model without dropout"
    assert abs(loss - eval_loss) > 1e-3, f"{label}: the masks change the loss"
    fd = finite_difference_check(values, loss_of, gradients, np.random.default_rng(check_seed))
    for r in fd:
        print(f"{label}: d loss / d {r['name']}{r['index']}: autograd {r['analytic']!r}, "
              f"finite difference {r['numeric']!r}, relative error {r['relativeError']:.3e}")
        assert r["relativeError"] < 1e-6, f"{label}: finite-difference check failed for {r}"
    print(f"{label}: training loss {loss!r}, evaluation loss {eval_loss!r}")
    return {"parameters": as_lists(values), "loss": loss, "evaluationLoss": eval_loss, "logits": logits_rows.tolist(),
            "gradients": as_lists(gradients), "checks": {"finiteDifferences": fd}}


def dropout_encoder_case():
    """TinyEncoder in training mode with dropout 0.2 everywhere, pass seed 42: the masks come from
    the core's generator written out above, so PyTorch checks where each mask goes and the
    gradient through it. The evaluation-mode loss (no dropout) is recorded too."""
    V, d, heads, ffn, blocks, B, T, p, seed = 7, 8, 2, 16, 2, 2, 5, 0.2, 42
    valid = [5, 3]
    rng = np.random.default_rng(DROPOUT_SEED)
    values, ids, targets = encoder_inputs(rng, V, d, ffn, blocks, T, valid)
    ids_t, targets_t = torch.tensor(ids), torch.tensor(targets)
    mask = ref.padding_mask(valid, T)

    assert site_seed(0, 0) == 0xE220A8397B1DCDAF  # SplitMix64's first output from 0
    assert Xoshiro(1).next() != Xoshiro(2).next()

    results = dropout_run(
        "dropout", values,
        lambda P, rate: dropped_encoder_logits(P, ids_t, heads, blocks, mask, p if rate is None else rate, seed),
        lambda P: ref.encoder_logits(P, ids_t, heads, blocks, mask), targets_t, B * T, V, CHECK_SEED + 2)
    return {
        "torch": torch.__version__,
        "config": {"model": "TinyEncoder", "vocabulary": V, "dimension": d, "heads": heads, "ffn": ffn,
                   "blocks": blocks, "batch": B, "length": T, "seed": DROPOUT_SEED, "dropout": p,
                   "dropoutSeed": seed},
        "inputs": {"ids": ids, "validLengths": valid, "targets": targets},
        **results,
    }


def dropout_seq2seq_case():
    """Seq2Seq in training mode with dropout 0.3 everywhere, pass seed 7, as dropout_encoder_case:
    both attentions of the decoder, causal and padded, and all six of its sites."""
    V, d, heads, ffn, B, Ts, Tt, p, seed = 7, 8, 2, 16, 2, 5, 4, 0.3, 7
    valid = [5, 3]
    rng = np.random.default_rng(DROPOUT_SEED + 1)
    values = ref.initial_values(ref.seq2seq_spec(V, d, ffn), rng)
    source = fill_rows(draw_tokens(rng, sum(valid), V), valid, Ts)
    target = fill_rows(draw_tokens(rng, B * Tt, V), [Tt] * B, Tt)
    targets = rng.integers(0, V, (B, Tt)).tolist()
    source_t, target_t, targets_t = torch.tensor(source), torch.tensor(target), torch.tensor(targets)
    mask = ref.padding_mask(valid, Ts)

    results = dropout_run(
        "dropout seq2seq", values,
        lambda P, rate: dropped_seq2seq_logits(P, source_t, target_t, heads, mask, p if rate is None else rate, seed),
        lambda P: ref.seq2seq_logits(P, source_t, target_t, heads, mask), targets_t, B * Tt, V, CHECK_SEED + 3)
    return {
        "torch": torch.__version__,
        "config": {"model": "Seq2Seq", "vocabulary": V, "dimension": d, "heads": heads, "ffn": ffn, "layers": 1,
                   "batch": B, "sourceLength": Ts, "targetLength": Tt, "seed": DROPOUT_SEED + 1, "dropout": p,
                   "dropoutSeed": seed},
        "inputs": {"source": source, "validLengths": valid, "target": target, "targets": targets},
        **results,
    }


def main():
    ref.setup()
    os.makedirs(OUT, exist_ok=True)
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    which = sys.argv[1:] or ["encoder", "seq2seq", "recurrent", "losses", "dropout"]
    if "encoder" in which:
        write_json(os.path.join(OUT, "torch-encoder.json"), encoder_case())
    if "seq2seq" in which:
        write_json(os.path.join(OUT, "torch-seq2seq.json"), seq2seq_case())
    if "recurrent" in which:
        write_json(os.path.join(OUT, "torch-gru.json"), recurrent_case("gru"))
        write_json(os.path.join(OUT, "torch-lstm.json"), recurrent_case("lstm"))
    if "losses" in which:
        write_json(os.path.join(OUT, "torch-label-smoothing.json"), label_smoothing_case())
        write_json(os.path.join(OUT, "torch-additive-attention.json"), additive_attention_case())
    if "dropout" in which:
        write_json(os.path.join(OUT, "torch-dropout-encoder.json"), dropout_encoder_case())
        write_json(os.path.join(OUT, "torch-dropout-seq2seq.json"), dropout_seq2seq_case())


if __name__ == "__main__":
    main()
