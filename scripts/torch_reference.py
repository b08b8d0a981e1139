"""The PyTorch reference of TransformerCore's trainable models, shared by make_torch_fixtures.py
and bench_train_torch.py. Needs PyTorch; `make test` never does (the Swift tests read the JSON).

Conventions of the Swift core, kept exactly:
- one token per row; every weight stored [in, out], so a projection is x @ W + b;
- sinusoidal positions, interleaved, not a parameter:
  PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d));
- LayerNorm over the last dim with the biased variance and eps 1e-5 (params NAME.gain, NAME.bias);
- GELU in its tanh form;
- attention masks are ADDED to the scores: -1e10 (finite) at forbidden positions, 0 elsewhere;
- pre-LayerNorm blocks.

Parameters live in a plain dict {name: tensor}, named as in the JSON (state_dict style, dots).
Tensors are batched [B, T, d]; heads are split with view/transpose.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

MASK_FILL = -1e10
LAYER_NORM_EPSILON = 1e-5
IGNORE_INDEX = -100


def setup():
    """float64 everywhere, one thread."""
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set, or parallel work has started
        pass


# ---------------------------------------------------------------- parameters

def layer_norm_spec(name, d):
    return [(f"{name}.gain", (d,), "gain"), (f"{name}.bias", (d,), "bias")]


def attention_spec(name, d):
    spec = []
    for p in ["Q", "K", "V", "O"]:
        spec += [(f"{name}.w{p}", (d, d), "matrix"), (f"{name}.b{p}", (d,), "bias")]
    return spec


def feed_forward_spec(name, d, ffn):
    return [(f"{name}.w1", (d, ffn), "matrix"), (f"{name}.b1", (ffn,), "bias"),
            (f"{name}.w2", (ffn, d), "matrix"), (f"{name}.b2", (d,), "bias")]


def encoder_block_spec(name, d, ffn):
    return (layer_norm_spec(f"{name}.norm1", d) + attention_spec(f"{name}.attention", d)
            + layer_norm_spec(f"{name}.norm2", d) + feed_forward_spec(f"{name}.feedForward", d, ffn))


def decoder_block_spec(name, d, ffn):
    return (layer_norm_spec(f"{name}.norm1", d) + attention_spec(f"{name}.selfAttention", d)
            + layer_norm_spec(f"{name}.norm2", d) + attention_spec(f"{name}.crossAttention", d)
            + layer_norm_spec(f"{name}.norm3", d) + feed_forward_spec(f"{name}.feedForward", d, ffn))


def encoder_spec(vocabulary, d, ffn, blocks):
    """TinyEncoder: embedding, blocks.i, final norm, head."""
    spec = [("embedding.weight", (vocabulary, d), "matrix")]
    for i in range(blocks):
        spec += encoder_block_spec(f"blocks.{i}", d, ffn)
    spec += layer_norm_spec("norm", d)
    spec += [("head.weight", (d, vocabulary), "matrix"), ("head.bias", (vocabulary,), "bias")]
    return spec


def seq2seq_spec(vocabulary, d, ffn, encoder_blocks=1, decoder_blocks=1):
    """TinySeq2Seq: two embeddings, encoder.i, encoderNorm, decoder.i, decoderNorm, head."""
    spec = [("sourceEmbedding.weight", (vocabulary, d), "matrix"),
            ("targetEmbedding.weight", (vocabulary, d), "matrix")]
    for i in range(encoder_blocks):
        spec += encoder_block_spec(f"encoder.{i}", d, ffn)
    spec += layer_norm_spec("encoderNorm", d)
    for i in range(decoder_blocks):
        spec += decoder_block_spec(f"decoder.{i}", d, ffn)
    spec += layer_norm_spec("decoderNorm", d)
    spec += [("head.weight", (d, vocabulary), "matrix"), ("head.bias", (vocabulary,), "bias")]
    return spec


def initial_values(spec, rng, matrix_scale=0.3):
    """numpy float64 arrays drawn from `rng` in spec order: matrices normal x matrix_scale
    (or x 1/sqrt(rows) when matrix_scale == "fan_in"), biases normal x 0.1,
    LayerNorm gains 1 + normal x 0.1."""
    values = {}
    for name, shape, kind in spec:
        z = rng.standard_normal(shape)
        if kind == "matrix":
            scale = 1 / math.sqrt(shape[0]) if matrix_scale == "fan_in" else matrix_scale
            values[name] = z * scale
        elif kind == "bias":
            values[name] = z * 0.1
        else:
            values[name] = 1 + z * 0.1
    return values


def to_parameters(values):
    """{name: leaf tensor requiring grad}, a fresh copy of the numpy values, in the same order."""
    return {k: torch.tensor(v, dtype=torch.float64).requires_grad_(True) for k, v in values.items()}


# ---------------------------------------------------------------- model

def positional_encoding(length, d):
    """Interleaved sinusoidal positions [length, d], computed with libm like the Swift core."""
    rows = [[(math.sin if j % 2 == 0 else math.cos)(p / math.pow(10000, (j - j % 2) / d))
             for j in range(d)] for p in range(length)]
    return torch.tensor(rows, dtype=torch.float64)


def padding_mask(valid_lengths, keys):
    """Additive key-padding mask [B, 1, 1, keys]: -1e10 at key positions >= the valid length."""
    position = torch.arange(keys)[None, :]
    forbidden = position >= torch.tensor(valid_lengths)[:, None]
    return torch.zeros(forbidden.shape).masked_fill(forbidden, MASK_FILL)[:, None, None, :]


def causal_mask(length):
    """Additive causal mask [1, 1, length, length]: -1e10 where key > query."""
    forbidden = torch.ones(length, length, dtype=torch.bool).triu(1)
    return torch.zeros(length, length).masked_fill(forbidden, MASK_FILL)[None, None]


def layer_norm(x, P, name):
    return F.layer_norm(x, (x.shape[-1],), P[f"{name}.gain"], P[f"{name}.bias"], LAYER_NORM_EPSILON)


def attention(xq, xkv, P, name, heads, mask=None, weight_mask=None):
    """Multi-head attention; xq [B, Tq, d], xkv [B, Tk, d]; mask broadcasts to [B, heads, Tq, Tk];
    weight_mask (a dropout mask [B, heads, Tq, Tk]) multiplies the weights when given."""
    b, tq, d = xq.shape
    tk = xkv.shape[1]
    dk = d // heads
    q = (xq @ P[f"{name}.wQ"] + P[f"{name}.bQ"]).view(b, tq, heads, dk).transpose(1, 2)
    k = (xkv @ P[f"{name}.wK"] + P[f"{name}.bK"]).view(b, tk, heads, dk).transpose(1, 2)
    v = (xkv @ P[f"{name}.wV"] + P[f"{name}.bV"]).view(b, tk, heads, dk).transpose(1, 2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(dk)
    if mask is not None:
        scores = scores + mask
    weights = torch.softmax(scores, dim=-1)
    if weight_mask is not None:
        weights = weights * weight_mask
    out = (weights @ v).transpose(1, 2).reshape(b, tq, d)  # heads concatenated in order
    return out @ P[f"{name}.wO"] + P[f"{name}.bO"]


def feed_forward(x, P, name):
    h = F.gelu(x @ P[f"{name}.w1"] + P[f"{name}.b1"], approximate="tanh")
    return h @ P[f"{name}.w2"] + P[f"{name}.b2"]


def encoder_block(x, P, name, heads, mask):
    n1 = layer_norm(x, P, f"{name}.norm1")
    h = x + attention(n1, n1, P, f"{name}.attention", heads, mask)
    return h + feed_forward(layer_norm(h, P, f"{name}.norm2"), P, f"{name}.feedForward")


def decoder_block(y, memory, P, name, heads, self_mask, cross_mask):
    n1 = layer_norm(y, P, f"{name}.norm1")
    a = y + attention(n1, n1, P, f"{name}.selfAttention", heads, self_mask)
    c = a + attention(layer_norm(a, P, f"{name}.norm2"), memory, P, f"{name}.crossAttention", heads, cross_mask)
    return c + feed_forward(layer_norm(c, P, f"{name}.norm3"), P, f"{name}.feedForward")


def encoder_logits(P, ids, heads, blocks, mask=None, positions=None):
    """TinyEncoder: logits [B, T, V] for ids [B, T] (a LongTensor)."""
    t = ids.shape[1]
    d = P["embedding.weight"].shape[1]
    if positions is None:
        positions = positional_encoding(t, d)
    x = P["embedding.weight"][ids] + positions
    for i in range(blocks):
        x = encoder_block(x, P, f"blocks.{i}", heads, mask)
    return layer_norm(x, P, "norm") @ P["head.weight"] + P["head.bias"]


def seq2seq_logits(P, source, target, heads, source_mask, encoder_blocks=1, decoder_blocks=1):
    """TinySeq2Seq: logits [B, Tt, V] for source [B, Ts] and decoder input target [B, Tt]."""
    d = P["sourceEmbedding.weight"].shape[1]
    x = P["sourceEmbedding.weight"][source] + positional_encoding(source.shape[1], d)
    for i in range(encoder_blocks):
        x = encoder_block(x, P, f"encoder.{i}", heads, source_mask)
    memory = layer_norm(x, P, "encoderNorm")
    y = P["targetEmbedding.weight"][target] + positional_encoding(target.shape[1], d)
    self_mask = causal_mask(target.shape[1])
    for i in range(decoder_blocks):
        y = decoder_block(y, memory, P, f"decoder.{i}", heads, self_mask, source_mask)
    return layer_norm(y, P, "decoderNorm") @ P["head.weight"] + P["head.bias"]


def cross_entropy(logits, targets):
    """Mean cross-entropy over the positions whose target is not -100."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                           ignore_index=IGNORE_INDEX, reduction="mean")
