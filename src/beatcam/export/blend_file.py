"""Make a saved ``.blend`` depend only on the scene: the bytes Blender fills from the clock or
leaves uninitialised are set to fixed values, in place.

Blender 5.0 writes three such things (found by saving one scene twice and comparing the
blocks by their SDNA struct and field):

- ``Mesh.face_sets_color_seed``: seeded from the clock in seconds when a mesh is made. It only
  picks the colours sculpt mode shows face sets in; 0 is as good a seed as any.
- ``bNode.identifier``: drawn from a generator seeded from the clock in microseconds. It only
  has to be unique within its node tree (nothing in beatcam's trees refers to it), so the
  nodes of each tree are numbered 1, 2, … in the order they are written.
- ``FileGlobal.colorspace_scene_linear_name``: the bytes after the name's terminating NUL are
  whatever the stack held, and so are its padding fields (``_pad…``). They are zeroed, as is
  every struct's padding: it means nothing by definition.
- ``ScrEdge.v1`` and ``v2`` (the editor layout's edges): Blender orders an edge's two vertices
  by their addresses in memory, which differ from run to run. They are ordered by the ids the
  file gives them instead; Blender orders them again when it reads the file.

The file format (``BLENDER`` header, then blocks of a header and data, the struct layouts in
the ``DNA1`` block) is Blender's own "SDNA": each block header names its struct by index, and
a struct's fields are laid out in order with the sizes the DNA lists (pointers 8 bytes).
Both the 5.0 header (``BLENDER17-01v0500``, 32-byte block headers) and the older one
(``BLENDER-v405``, 24-byte block headers) are read.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

from beatcam.errors import StageError

NEW_HEADER = re.compile(rb"BLENDER\d\d-01v\d{4}")  # 17 bytes; 64-bit little-endian blocks
OLD_HEADER = re.compile(rb"BLENDER-v\d{3}")  # 12 bytes; 64-bit ("-"), little-endian ("v")
NEW_BLOCK = struct.Struct("<4siQqq")  # code, struct index, old address, length, count
OLD_BLOCK = struct.Struct("<4siQii")  # code, length, old address, struct index, count
POINTER_BYTES = 8
ZEROED = {"FileGlobal": ("colorspace_scene_linear_name",)}
SEEDS = {"Mesh": "face_sets_color_seed"}
PAIRS = {"ScrEdge": ("v1", "v2")}
PADDING = "_pad"
CAMERA, IDPROP, COMPAT_GROUP = "Camera", "IDProperty", b"cycles"
NODE, NODE_TREE, NODE_ID = "bNode", "bNodeTree", "identifier"


@dataclass(frozen=True)
class Block:
    """One block: where its data starts in the file, its length, struct index and count."""

    start: int
    length: int
    struct: int
    count: int
    code: bytes
    address: int
    header: int


def _blocks(data: bytes | bytearray) -> list[Block]:
    if NEW_HEADER.match(data):
        offset, layout = 17, NEW_BLOCK
    elif OLD_HEADER.match(data):
        offset, layout = 12, OLD_BLOCK
    else:
        raise StageError("export", f"not a 64-bit little-endian .blend: {bytes(data[:17])!r}")
    blocks = []
    while offset < len(data):
        fields = layout.unpack_from(data, offset)
        if layout is NEW_BLOCK:
            code, index, address, length, count = fields
        else:
            code, length, address, index, count = fields
        blocks.append(Block(offset + layout.size, length, index, count, code, address, layout.size))
        if code == b"ENDB":
            break
        offset += layout.size + length
    return blocks


def _strings(data: bytes | bytearray, at: int, count: int) -> tuple[list[str], int]:
    found = []
    for _ in range(count):
        end = data.index(b"\0", at)
        found.append(data[at:end].decode("latin-1"))
        at = end + 1
    return found, at


@dataclass(frozen=True)
class Layout:
    """Every struct's name and its fields' (name, start, end) byte ranges, by struct index."""

    names: list[str]
    fields: list[dict[str, tuple[int, int]]]
    sizes: list[int]


def _dna(data: bytes | bytearray, block: Block) -> Layout:
    """The struct layouts of a DNA1 block (``SDNA``, ``NAME``, ``TYPE``, ``TLEN``, ``STRC``,
    each list 4-byte aligned from the block's start)."""
    base = block.start

    def aligned(at: int) -> int:
        return base + ((at - base + 3) & ~3)

    at = base + 8  # "SDNA" "NAME"
    (count,) = struct.unpack_from("<i", data, at)
    names, at = _strings(data, at + 4, count)
    at = aligned(at) + 4  # "TYPE"
    (count,) = struct.unpack_from("<i", data, at)
    types, at = _strings(data, at + 4, count)
    at = aligned(at) + 4  # "TLEN"
    lengths = struct.unpack_from(f"<{count}h", data, at)
    at = aligned(at + 2 * count) + 4  # "STRC"
    (count,) = struct.unpack_from("<i", data, at)
    at += 4
    layout = Layout([], [], [])
    for _ in range(count):
        kind, field_count = struct.unpack_from("<hh", data, at)
        at += 4
        fields: dict[str, tuple[int, int]] = {}
        offset = 0
        for _ in range(field_count):
            field_type, field_name = struct.unpack_from("<hh", data, at)
            at += 4
            name = names[field_name]
            pointer = name.startswith(("*", "(*"))
            size = POINTER_BYTES if pointer else lengths[field_type]
            for dimension in re.findall(r"\[(\d+)\]", name):
                size *= int(dimension)
            fields[re.sub(r"\W", "", name.split("[")[0])] = (offset, offset + size)
            offset += size
        layout.names.append(types[kind])
        layout.fields.append(fields)
        layout.sizes.append(lengths[kind])
    return layout


def normalise(path: Path) -> None:
    """Rewrite the .blend at ``path`` with its clock-made and uninitialised bytes fixed."""
    data = bytearray(path.read_bytes())
    blocks = _blocks(data)
    dna = next((block for block in blocks if block.code == b"DNA1"), None)
    if dna is None:
        raise StageError("export", f"{path} has no DNA1 block")
    layout = _dna(data, dna)
    pads = [
        [span for field, span in fields.items() if field.startswith(PADDING)]
        for fields in layout.fields
    ]
    node_number = 0
    for block in blocks:
        if block.code in (b"DNA1", b"ENDB") or block.struct >= len(layout.names):
            continue
        name, fields, size = (
            layout.names[block.struct],
            layout.fields[block.struct],
            layout.sizes[block.struct],
        )
        if name == NODE_TREE:
            node_number = 0
        fixed = pads[block.struct] or name in ZEROED or name in SEEDS or name in PAIRS
        if not (fixed or name == NODE):
            continue
        for item in range(block.count if size else 0):
            start = block.start + item * size
            if start + size > block.start + block.length:
                break
            for low, high in pads[block.struct]:
                data[start + low : start + high] = bytes(high - low)
            for field in ZEROED.get(name, ()):
                low, high = fields[field]
                text = data[start + low : start + high]
                end = text.find(b"\0")
                if end >= 0:
                    data[start + low + end : start + high] = bytes(high - low - end)
            if name in PAIRS:
                (low, _), (other, _) = (fields[field] for field in PAIRS[name])
                first, second = (
                    data[start + at : start + at + POINTER_BYTES] for at in (low, other)
                )
                if int.from_bytes(first, "little") > int.from_bytes(second, "little"):
                    data[start + low : start + low + POINTER_BYTES] = second
                    data[start + other : start + other + POINTER_BYTES] = first
            if name in SEEDS:
                low, high = fields[SEEDS[name]]
                data[start + low : start + high] = bytes(high - low)
            if name == NODE:
                node_number += 1
                low, _ = fields[NODE_ID]
                struct.pack_into("<i", data, start + low, node_number)
    dropped = _camera_compat_copies(data, blocks, layout)
    kept = [block for block in blocks if block.start not in dropped]
    path.write_bytes(
        bytes(data[: blocks[0].start - blocks[0].header])
        + b"".join(data[block.start - block.header : block.start + block.length] for block in kept)
    )


def _pointer(data: bytes | bytearray, at: int) -> int:
    return int.from_bytes(data[at : at + POINTER_BYTES], "little")


def _camera_compat_copies(data: bytearray, blocks: list[Block], layout: Layout) -> set[int]:
    """Point every camera whose system properties are only the ``cycles`` compatibility copy
    at none, and return the starts of that copy's blocks (the group, its members and their
    data), to be left out."""
    if CAMERA not in layout.names or IDPROP not in layout.names:
        return set()
    index = {name: number for number, name in enumerate(layout.names)}
    owner = layout.fields[index["ID"]].get("system_properties")
    if owner is None:  # before 5.0 there were none
        return set()
    own = layout.fields[index[CAMERA]]["id"][0] + owner[0]
    prop = layout.fields[index[IDPROP]]
    value = prop["data"][0]
    group = value + layout.fields[index["IDPropertyData"]]["group"][0]
    first, last = (group + layout.fields[index["ListBase"]][end][0] for end in ("first", "last"))
    by_address = {block.address: block for block in blocks if block.struct == index[IDPROP]}
    by_address.update(
        (block.address, block) for block in blocks if block.code == b"DATA" and block.struct == 0
    )
    dropped: set[int] = set()
    for camera in (block for block in blocks if block.struct == index[CAMERA]):
        root = by_address.get(_pointer(data, camera.start + own))
        if root is None or _pointer(data, root.start + first) != _pointer(data, root.start + last):
            continue
        only = by_address.get(_pointer(data, root.start + first))
        low, high = prop["name"]
        if (
            only is None
            or data[only.start + low : only.start + high].split(b"\0")[0] != COMPAT_GROUP
        ):
            continue
        tree, pending = [], [root.address]
        while pending:
            block = by_address.get(pending.pop())
            if block is None:
                continue
            tree.append(block)
            if block.struct == index[IDPROP]:
                links = (prop["next"][0], value, first)
                pending += [_pointer(data, block.start + at) for at in links]
        dropped.update(block.start for block in tree)
        data[camera.start + own : camera.start + own + POINTER_BYTES] = bytes(POINTER_BYTES)
    return dropped
