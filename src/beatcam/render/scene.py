"""The grey-box set and the cast's mannequins, drawn by OpenGL on the CPU.

One ``SceneRenderer`` holds one GL context, the meshes and the set's instance buffer, built
once; each frame only the mannequins' instance matrices are uploaded, the scene is drawn into a
multisampled framebuffer and read back once, top row first, straight into a reused array.

A mannequin is the articulated skeleton of ``model/skeleton.py`` dressed in unit shapes, each
part riding one bone, in fractions of the character's height; the plan's poses and looks move
the bones every frame. Its head is an ellipsoid centred on the eye point (the plan's subject
point) whose top is the top of the head; a dark visor and a nose on the face show where it
looks, and feet that point where it faces.

The *matte* pass draws unlit, without anti-aliasing, each cast member's head and body in the
flat colours of ``matte_colour`` and everything else black: an ID pass tests can read.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from beatcam.model.geometry import FloatArray, hands_point, heading_deg
from beatcam.model.plan import ShotPlan
from beatcam.model.props import prop_box_matrices
from beatcam.model.sets import on_stage
from beatcam.model.skeleton import (
    ANKLE_RATIO,
    BONE_INDEX,
    BONES,
    EYE_ABOVE_NECK,
    HAND_REACH,
    to_world,
    world_rotations,
)
from beatcam.model.vocab import EYE_HEIGHT_RATIO
from beatcam.render import meshes
from beatcam.render.context import open_context

Image = NDArray[np.uint8]

MSAA_SAMPLES: Final = 4
MAX_SHADOWS: Final = 16
SHADOW_RADIUS_RATIO: Final = 0.22
# The object an insert shows, as a grey-box page held up: width, height, thickness in metres.
PROP_SIZE_M: Final = (0.22, 0.30, 0.012)
PROP_COLOUR: Final = (0.93, 0.91, 0.85)
# Held tilted back, as a page is read, so its face catches the light from above.
_TILT = np.radians(-35.0)
PROP_TILT: Final = np.array(
    [[1.0, 0.0, 0.0], [0.0, np.cos(_TILT), -np.sin(_TILT)], [0.0, np.sin(_TILT), np.cos(_TILT)]]
)
FAR_AWAY_M: Final = 1e6  # where the shadow of someone off stage falls
HEAD_RADII_RATIO: Final = (0.058, 1.0 - EYE_HEIGHT_RATIO, 0.064)

# Muted, distinct costume colours (display-referred RGB, 0..1); each name picks its own.
CAST_COLOURS: Final = (
    (0.70, 0.42, 0.36),
    (0.36, 0.50, 0.68),
    (0.46, 0.60, 0.40),
    (0.78, 0.64, 0.34),
    (0.58, 0.44, 0.62),
    (0.34, 0.60, 0.60),
    (0.66, 0.52, 0.42),
    (0.48, 0.48, 0.56),
    (0.80, 0.50, 0.56),
    (0.40, 0.62, 0.78),
    (0.62, 0.66, 0.36),
    (0.54, 0.38, 0.30),
)
SET_GREYS: Final = ((0.80, 0.79, 0.76), (0.72, 0.73, 0.75), (0.76, 0.74, 0.72))
VISOR_COLOUR: Final = (0.10, 0.11, 0.13)
SKIN_MIX: Final = 0.45
LIMB_SHADE: Final = 0.82

KIND_CUBE, KIND_SPHERE, KIND_CYLINDER = "cube", "sphere", "cylinder"
ROLE_BODY, ROLE_LIMB, ROLE_SKIN, ROLE_VISOR = "body", "limb", "skin", "visor"
INSTANCE_FLOATS: Final = 22  # 4x4 model matrix, colour, matte colour


@dataclass(frozen=True)
class Part:
    """One shape of a mannequin, riding a bone: mesh kind, colour role, centre (or, for a
    cylinder, base centre) and scale in the bone's frame, in fractions of the character's
    height. A cylinder on a limb (a bone running down its -Y) is turned to run down with it.
    ``on_head`` parts make up the head in the matte pass (the visor and nose lie inside its
    outline)."""

    bone: str
    kind: str
    role: str
    at: tuple[float, float, float]
    scale: tuple[float, float, float]
    on_head: bool = False


def _limb(bone: str, radius: float) -> Part:
    """A cylinder the length of ``bone``, from its joint along it."""
    length = BONES[BONE_INDEX[bone]].length
    return Part(bone, KIND_CYLINDER, ROLE_LIMB, (0.0, 0.0, 0.0), (radius, length, radius))


_EYE = EYE_ABOVE_NECK
_HAND = BONES[BONE_INDEX["l_forearm"]].length + HAND_REACH
# A foot's bone runs forward from the ankle with its +Z up: the shoe reaches 3 cm in front of
# the ball, and its sole is ANKLE_RATIO below the ankle.
_FOOT_AT = (0.0, -0.03, 0.018 - ANKLE_RATIO)
MANNEQUIN: Final = (
    Part("pelvis", KIND_SPHERE, ROLE_BODY, (0.0, -0.02, 0.0), (0.10, 0.06, 0.065)),
    Part("spine", KIND_CYLINDER, ROLE_BODY, (0.0, -0.03, 0.0), (0.098, 0.27, 0.064)),
    Part("spine", KIND_SPHERE, ROLE_BODY, (0.0, 0.24, 0.0), (0.12, 0.045, 0.068)),
    Part("head", KIND_CYLINDER, ROLE_LIMB, (0.0, -0.03, 0.0), (0.026, 0.07, 0.026)),
    _limb("l_upper_arm", 0.028),
    _limb("r_upper_arm", 0.028),
    _limb("l_forearm", 0.025),
    _limb("r_forearm", 0.025),
    Part("l_forearm", KIND_SPHERE, ROLE_SKIN, (0.0, -_HAND, 0.0), (0.03, 0.035, 0.03)),
    Part("r_forearm", KIND_SPHERE, ROLE_SKIN, (0.0, -_HAND, 0.0), (0.03, 0.035, 0.03)),
    _limb("l_thigh", 0.045),
    _limb("r_thigh", 0.045),
    _limb("l_shin", 0.038),
    _limb("r_shin", 0.038),
    Part("l_foot", KIND_CUBE, ROLE_VISOR, _FOOT_AT, (0.06, 0.15, 0.036)),
    Part("r_foot", KIND_CUBE, ROLE_VISOR, _FOOT_AT, (0.06, 0.15, 0.036)),
    Part("head", KIND_SPHERE, ROLE_SKIN, (0.0, _EYE, 0.0), HEAD_RADII_RATIO, on_head=True),
    Part("head", KIND_CUBE, ROLE_VISOR, (0.0, _EYE + 0.006, 0.05), (0.09, 0.026, 0.035), True),
    Part("head", KIND_CUBE, ROLE_VISOR, (0.0, _EYE - 0.025, 0.062), (0.014, 0.024, 0.03), True),
)
# A cylinder mesh runs up its +Y; on a limb it is turned a half turn about Z to run down.
_DOWN: Final = np.diag([-1.0, -1.0, 1.0, 1.0])
MATTE_STEP: Final = 8


def matte_colour(cast_index: int, head: bool) -> tuple[int, int, int]:
    """The flat RGB (0..255) of a cast member's head or body in the matte pass."""
    level = MATTE_STEP * (cast_index + 1)
    return (255, level, 0) if head else (0, level, 255)


def cast_colours(names: Sequence[str]) -> list[tuple[float, float, float]]:
    """The costume colours of a cast, by name: each person's own colour, picked by a hash of
    their name, so they wear it in every scene of a film whatever the scene's cast order. Two
    people of one scene whose names pick the same colour: the later by hash takes the next
    free one (a colour repeats only in a cast larger than the palette)."""
    chosen: dict[str, int] = {}
    for name in sorted(names, key=lambda n: (_name_hash(n), n)):
        index = _name_hash(name) % len(CAST_COLOURS)
        taken = set(chosen.values())
        for step in range(len(CAST_COLOURS)):
            if (index + step) % len(CAST_COLOURS) not in taken:
                index = (index + step) % len(CAST_COLOURS)
                break
        chosen[name] = index
    return [CAST_COLOURS[chosen[name]] for name in names]


def _name_hash(name: str) -> int:
    return zlib.crc32(name.casefold().encode("utf-8"))


def _part_matrix(part: Part) -> FloatArray:
    """The part's bone-from-part matrix (height units)."""
    matrix = np.diag([*part.scale, 1.0])
    matrix[:3, 3] = part.at
    if part.kind == KIND_CYLINDER and not BONES[BONE_INDEX[part.bone]].up:
        matrix = _DOWN @ matrix
    return matrix


def _role_colour(role: str, costume: tuple[float, float, float]) -> tuple[float, float, float]:
    base = np.array(costume)
    if role == ROLE_SKIN:
        colour = base + (1.0 - base) * SKIN_MIX
    elif role == ROLE_LIMB:
        colour = base * LIMB_SHADE
    elif role == ROLE_VISOR:
        colour = np.array(VISOR_COLOUR)
    else:
        colour = base
    return (float(colour[0]), float(colour[1]), float(colour[2]))


@dataclass(frozen=True)
class CastInstances:
    """The mannequin parts of one mesh kind for the whole cast: which cast member and bone
    each part rides, its bone-from-part matrix (height units), lit colour and matte colour."""

    owner: NDArray[np.int64]
    bone: NDArray[np.int64]
    local: FloatArray
    colour: FloatArray
    matte: FloatArray


def cast_instances(names: Sequence[str], kind: str) -> CastInstances:
    """Every mannequin part of ``kind`` for the cast ``names``, in cast order."""
    owner, bone, local, colour, matte = [], [], [], [], []
    costumes = cast_colours(names)
    for index in range(len(names)):
        for part in MANNEQUIN:
            if part.kind != kind:
                continue
            owner.append(index)
            bone.append(BONE_INDEX[part.bone])
            local.append(_part_matrix(part))
            colour.append(_role_colour(part.role, costumes[index]))
            flat = matte_colour(index, head=part.on_head)
            matte.append(np.array(flat) / 255.0)
    return CastInstances(
        np.array(owner, dtype=np.int64),
        np.array(bone, dtype=np.int64),
        np.array(local).reshape(-1, 4, 4),
        np.array(colour).reshape(-1, 3),
        np.array(matte).reshape(-1, 3),
    )


def character_matrices(positions: FloatArray, facing_deg: FloatArray, heights: FloatArray) -> Any:
    """``(c, 4, 4)`` world-from-mannequin matrices: stand at ``positions`` (c, 3), turn by
    ``facing_deg`` (c,) counter-clockwise seen from above, scale by ``heights`` (c,) metres."""
    theta = np.radians(facing_deg)
    cos_t, sin_t = np.cos(theta) * heights, np.sin(theta) * heights
    matrices = np.zeros((len(heights), 4, 4))
    matrices[:, 0, 0], matrices[:, 0, 2] = cos_t, sin_t
    matrices[:, 1, 1] = heights
    matrices[:, 2, 0], matrices[:, 2, 2] = -sin_t, cos_t
    matrices[:, :3, 3] = positions
    matrices[:, 3, 3] = 1.0
    return matrices


def bone_matrices(plan: ShotPlan) -> FloatArray:
    """``(frames, cast, bones, 4, 4)`` world-from-bone matrices (scaled by each height) of the
    posed cast on every scene frame, in cast order."""
    frames = max(plan.frames, 1)
    matrices = np.zeros((frames, len(plan.cast), len(BONES), 4, 4))
    for index, (name, _) in enumerate(plan.cast):
        track = plan.blocking[name]
        posed = plan.figure(name)
        ground, facing = track.position[:frames], track.facing_deg[:frames]
        rotations = world_rotations(posed.rotations[:frames], facing) * track.height_m
        matrices[:, index, :, :3, :3] = rotations
        matrices[:, index, :, :3, 3] = to_world(
            posed.origins[:frames], ground, facing, track.height_m
        )
        matrices[:, index, :, 3, 3] = 1.0
    return matrices


def pack_instances(models: FloatArray, colour: FloatArray, matte: FloatArray) -> Any:
    """``(n, 22)`` float32 instance rows: column-major model matrix, colour, matte colour."""
    columns = np.transpose(models, (0, 2, 1)).reshape(len(models), 16)
    return np.concatenate([columns, colour, matte], axis=1).astype(np.float32)


def prop_matrices(plan: ShotPlan) -> FloatArray:
    """``(n, 4, 4)`` per scene frame, the world-from-prop matrix of the object an insert shot
    shows when its subject holds none of the plan's props: a page in its subject's hands,
    turned to face the camera as an insert presents its object; zero (not drawn) elsewhere."""
    matrices = np.zeros((max(plan.frames, 1), 4, 4))
    for shot in plan.shots:
        if shot.framing != "insert" or not shot.subjects:
            continue
        if shot.subjects[0] not in plan.blocking.tracks:
            continue
        if plan.set.held(shot.subjects[0], shot.start_frame) is not None:
            continue  # the insert frames the prop in the hand
        track = plan.blocking[shot.subjects[0]]
        window = slice(shot.start_frame, shot.start_frame + shot.frames)
        centre = hands_point(track.position[window], track.facing_deg[window], track.height_m)
        toward = shot.camera.position - centre
        facing = heading_deg(toward)
        page = character_matrices(centre, facing, np.ones(len(centre)))
        page[:, :3, :3] = page[:, :3, :3] @ PROP_TILT @ np.diag(PROP_SIZE_M)
        matrices[window] = page
    return matrices


def scene_prop_matrices(plan: ShotPlan) -> FloatArray:
    """``(frames, boxes, 4, 4)`` world-from-unit-cube matrices of every box of every prop
    the beats name, on every scene frame."""
    frames = max(plan.frames, 1)
    parts = [
        prop_box_matrices(prop.name, prop.position[:frames], prop.facing_deg[:frames])
        for prop in plan.set.props
    ]
    return np.concatenate(parts, axis=1) if parts else np.zeros((frames, 0, 4, 4))


def set_instances(plan: ShotPlan) -> Any:
    """Instance rows for the set's boxes, alternating three greys so neighbours separate."""
    boxes = plan.set.boxes
    models = np.zeros((len(boxes), 4, 4))
    for index, box in enumerate(boxes):
        models[index] = np.diag([*box.size, 1.0])
        models[index, :3, 3] = box.center
    greys = np.array([SET_GREYS[i % len(SET_GREYS)] for i in range(len(boxes))]).reshape(-1, 3)
    return pack_instances(models, greys, np.zeros((len(boxes), 3)))


_LIGHTING = """
uniform vec3 u_eye;
const vec3 KEY_DIR = normalize(vec3(0.45, 0.85, 0.55));
const vec3 KEY = vec3(0.72, 0.69, 0.64);
const vec3 FILL_DIR = normalize(vec3(-0.7, 0.35, 0.3));
const vec3 FILL = vec3(0.18, 0.20, 0.24);
const vec3 SKY_AMBIENT = vec3(0.40, 0.43, 0.48);
const vec3 GROUND_AMBIENT = vec3(0.22, 0.21, 0.20);
const vec3 HAZE = vec3(0.74, 0.76, 0.78);
const float HAZE_DISTANCE = 260.0;
vec3 shade(vec3 albedo, vec3 normal) {
    vec3 n = normalize(normal);
    vec3 light = KEY * max(dot(n, KEY_DIR), 0.0) + FILL * max(dot(n, FILL_DIR), 0.0)
        + mix(GROUND_AMBIENT, SKY_AMBIENT, 0.5 + 0.5 * n.y);
    return albedo * light;
}
vec3 haze(vec3 color, vec3 world) {
    vec3 offset = (world - u_eye) / HAZE_DISTANCE;
    return mix(color, HAZE, 1.0 - exp(-dot(offset, offset)));
}
"""

# Key, fill and sky light are directional, so shading per vertex (Gouraud) is exact for the
# flat-sided boxes and close for the mannequins' rounded parts, and keeps llvmpipe's
# per-sample fragment work to one interpolated colour.
_MESH_VERTEX = (
    """
#version 330
uniform mat4 u_view_proj;
uniform bool u_matte;
in vec3 in_pos;
in vec3 in_normal;
in vec4 in_m0;
in vec4 in_m1;
in vec4 in_m2;
in vec4 in_m3;
in vec3 in_color;
in vec3 in_matte;
out vec3 v_color;
"""
    + _LIGHTING
    + """
void main() {
    mat4 model = mat4(in_m0, in_m1, in_m2, in_m3);
    vec4 world = model * vec4(in_pos, 1.0);
    vec3 normal = transpose(inverse(mat3(model))) * in_normal;
    v_color = u_matte ? in_matte : haze(shade(in_color, normal), world.xyz);
    gl_Position = u_view_proj * world;
}
"""
)

_MESH_FRAGMENT = """
#version 330
in vec3 v_color;
out vec4 f_color;
void main() {
    f_color = vec4(v_color, 1.0);
}
"""

_COMPOSE_VERTEX = """
#version 330
uniform mat4 u_inverse_view_proj;
uniform vec3 u_eye;
uniform float u_side;
in vec2 in_ndc;
noperspective out vec4 v_far;
void main() {
    v_far = u_inverse_view_proj * vec4(in_ndc, 1.0, 1.0);
    gl_ClipDistance[0] = u_side * (u_eye.y * v_far.w - v_far.y);
    gl_Position = vec4(in_ndc, 0.0, 1.0);
}
"""

# Resolves the multisampled mesh layer and lays it over the sky or the ground, computed per
# pixel by casting the pixel's ray onto y = 0. llvmpipe evaluates both sides of a branch, so the
# full-screen triangle is drawn twice, clipped along the horizon (a straight line in the
# picture, where the ray's height stops falling): once by a program that shades only ground,
# once by one that shades only sky. SAMPLES, SHADOWS and SHADE_GROUND are compile-time constants,
# because llvmpipe runs loops with uniform bounds slowly.
_COMPOSE_FRAGMENT = (
    """
uniform sampler2DMS u_meshes;
uniform vec3 u_shadows[SHADOWS + 1];
noperspective in vec4 v_far;
out vec4 f_color;
const vec3 GROUND = vec3(0.56, 0.55, 0.52);
const vec3 ZENITH = vec3(0.40, 0.53, 0.70);
const vec3 HORIZON = vec3(0.88, 0.89, 0.90);
const float GRID_LINE = 0.16;
const float SHADOW = 0.55;
"""
    + _LIGHTING
    + """
vec3 ground(vec3 ray) {
    vec3 world = u_eye + ray * (-u_eye.y / min(ray.y, -1e-6));
    vec2 p = world.xz;
    vec2 width = fwidth(p);
    vec2 cell = abs(fract(p - 0.5) - 0.5) / max(width, 1e-4);
    float line = 1.0 - min(min(cell.x, cell.y), 1.0);
    float fade = clamp(1.0 - max(width.x, width.y) * 4.0, 0.0, 1.0);
    float shadow = 0.0;
    for (int i = 0; i < SHADOWS; ++i) {
        float r = length(p - u_shadows[i].xy) / u_shadows[i].z;
        shadow = max(shadow, SHADOW * (1.0 - smoothstep(0.35, 1.0, r)));
    }
    vec3 albedo = GROUND * (1.0 - GRID_LINE * line * fade) * (1.0 - shadow);
    return haze(shade(albedo, vec3(0.0, 1.0, 0.0)), world);
}
void main() {
    vec3 ray = v_far.xyz / v_far.w - u_eye;
#if SHADE_GROUND
    vec3 back = ground(ray);
#else
    // height^0.625 (within two levels of the height^0.6 it stands for) from square roots,
    // which llvmpipe computes in a fraction of the time of pow
    float root = sqrt(max(normalize(ray).y, 0.0));
    vec3 back = mix(HORIZON, ZENITH, root * sqrt(sqrt(root)));
#endif
    ivec2 pixel = ivec2(gl_FragCoord.xy);
    vec4 layer = vec4(0.0);
    for (int i = 0; i < SAMPLES; ++i) {
        layer += texelFetch(u_meshes, pixel, i);
    }
    layer /= float(SAMPLES);
    f_color = vec4(layer.rgb + (1.0 - layer.a) * back, 1.0);
}
"""
)

GL_CLIP_DISTANCE0: Final = 0x3000
_FLIP_Y: Final = np.diag([1.0, -1.0, 1.0, 1.0])


def _matrix_bytes(matrix: FloatArray) -> bytes:
    return np.ascontiguousarray(matrix.T, dtype=np.float32).tobytes()


class SceneRenderer:
    """Draws one plan's set and cast from any camera into an ``(h, w, 3)`` uint8 frame.

    ``render`` returns a view of an internal buffer that the next call overwrites; copy it
    to keep it. Use as a context manager (or call ``release``) to free the GL context.
    """

    def __init__(self, plan: ShotPlan, size: tuple[int, int], samples: int = MSAA_SAMPLES):
        self.size = size
        self._samples = samples
        self._ctx = open_context()
        ctx = self._ctx
        ctx.front_face = "cw"  # the y flip below mirrors the meshes' counter-clockwise faces
        tracks = [plan.blocking[name] for name, _ in plan.cast]
        frames = max(plan.frames, 1)
        self._positions = np.zeros((frames, len(tracks), 3))
        for index, track in enumerate(tracks):
            self._positions[:, index] = track.position[:frames]
        self._heights = np.array([t.height_m for t in tracks], dtype=np.float64)
        self._on_stage = on_stage(plan.set.preset, self._positions)
        self._bones = bone_matrices(plan)
        self._bones[~self._on_stage] = 0.0  # waiting off stage: collapsed, so never drawn
        self._mesh_program = ctx.program(vertex_shader=_MESH_VERTEX, fragment_shader=_MESH_FRAGMENT)
        self._shadows = min(len(tracks), MAX_SHADOWS)
        triangle = ctx.buffer(np.array([[-1, -1], [3, -1], [-1, 3]], dtype=np.float32).tobytes())
        self._compose: list[tuple[Any, Any]] = []
        for ground in (True, False):
            defines = (
                f"#version 330\n#define SAMPLES {samples}\n#define SHADOWS {self._shadows}\n"
                f"#define SHADE_GROUND {int(ground)}\n"
            )
            program = ctx.program(
                vertex_shader=_COMPOSE_VERTEX, fragment_shader=defines + _COMPOSE_FRAGMENT
            )
            program["u_side"].value = 1.0 if ground else -1.0
            self._compose.append((program, ctx.vertex_array(program, [(triangle, "2f", "in_ndc")])))
        self._ground_program = self._compose[0][0]
        shapes = {
            KIND_CUBE: meshes.cube(),
            KIND_SPHERE: meshes.sphere(),
            KIND_CYLINDER: meshes.cylinder(),
        }
        names = [name for name, _ in plan.cast]
        self._cast = {kind: cast_instances(names, kind) for kind in shapes}
        self._batches: list[tuple[Any, int]] = []
        self._cast_buffers: dict[str, Any] = {}
        vertices = {kind: ctx.buffer(mesh.tobytes()) for kind, mesh in shapes.items()}
        for kind in shapes:
            count = len(self._cast[kind].owner)
            if count:
                self._cast_buffers[kind] = ctx.buffer(reserve=count * INSTANCE_FLOATS * 4)
                self._batches.append(
                    (self._instanced(vertices[kind], self._cast_buffers[kind]), count)
                )
        self._props = np.concatenate([prop_matrices(plan)[:, None], scene_prop_matrices(plan)], 1)
        count = self._props.shape[1]
        self._prop_colours = np.tile(PROP_COLOUR, (count, 1))
        self._prop_buffer = ctx.buffer(reserve=count * INSTANCE_FLOATS * 4)
        self._batches.append((self._instanced(vertices[KIND_CUBE], self._prop_buffer), count))
        set_rows = set_instances(plan)
        if len(set_rows):
            set_buffer = ctx.buffer(set_rows.tobytes())
            self._batches.append((self._instanced(vertices[KIND_CUBE], set_buffer), len(set_rows)))
        width, height = size
        self._layer = ctx.texture(size, 4, samples=samples)
        self._multisampled = ctx.framebuffer(
            color_attachments=[self._layer],
            depth_attachment=ctx.depth_renderbuffer(size, samples=samples),
        )
        self._plain = ctx.framebuffer(
            color_attachments=[ctx.renderbuffer(size)],
            depth_attachment=ctx.depth_renderbuffer(size),
        )
        self._pixels: Image = np.empty((height, width, 3), dtype=np.uint8)

    def _instanced(self, vertices: Any, instances: Any) -> Any:
        return self._ctx.vertex_array(
            self._mesh_program,
            [
                (vertices, "3f 3f", "in_pos", "in_normal"),
                (
                    instances,
                    "4f 4f 4f 4f 3f 3f/i",
                    "in_m0",
                    "in_m1",
                    "in_m2",
                    "in_m3",
                    "in_color",
                    "in_matte",
                ),
            ],
        )

    def _clamped(self, frame: int) -> int:
        """``frame`` within the plan's frames: the first or last stands for those beyond."""
        return min(max(frame, 0), len(self._props) - 1)

    def frame_key(self, frame: int) -> bytes:
        """Everything a draw of scene ``frame`` reads from the plan, as bytes: the cast's bones
        (positions, facings, poses and looks), where they stand and whether on stage, and the
        props. Frames with equal keys drawn through one camera are one picture, so a caller
        may reuse it (``previs.FrameMaker``) and still write the bytes a draw would."""
        frame = self._clamped(frame)
        rows = (self._bones[frame], self._positions[frame], self._on_stage[frame])
        return b"".join(row.tobytes() for row in (*rows, self._props[frame]))

    def _upload_frame(self, frame: int) -> None:
        """The cast, their shadows and the props as they stand on ``frame``."""
        frame = self._clamped(frame)
        prop = pack_instances(
            self._props[frame], self._prop_colours, np.zeros_like(self._prop_colours)
        )
        self._prop_buffer.write(prop.tobytes())
        if not len(self._heights):
            return
        positions = self._positions[frame]
        bones = self._bones[frame]
        for kind, buffer in self._cast_buffers.items():
            parts = self._cast[kind]
            models = bones[parts.owner, parts.bone] @ parts.local
            buffer.write(pack_instances(models, parts.colour, parts.matte).tobytes())
        count = self._shadows
        shadows = np.ones((count + 1, 3), dtype=np.float32)
        shadows[:count, 0] = positions[:count, 0]
        shadows[:count, 1] = positions[:count, 2]
        shadows[:count, 2] = self._heights[:count] * SHADOW_RADIUS_RATIO
        shadows[:count, :2][~self._on_stage[frame, :count]] = FAR_AWAY_M
        if "u_shadows" in self._ground_program:
            uniform = self._ground_program["u_shadows"]
            uniform.write(shadows[: uniform.array_length].tobytes())

    def render(
        self,
        frame: int,
        view_projection: FloatArray,
        eye: FloatArray,
        viewport: tuple[int, int, int, int],
        *,
        matte: bool = False,
    ) -> Image:
        """Draw scene frame ``frame`` through ``view_projection`` (clip-from-world, NDC y up)
        into ``viewport`` (x, y from the top, width, height); black outside it."""
        import moderngl

        ctx = self._ctx
        flipped = _FLIP_Y @ view_projection
        eye_bytes = np.asarray(eye, dtype=np.float32).tobytes()
        self._upload_frame(frame)
        target = self._plain if matte else self._multisampled
        target.use()
        target.clear(0.0, 0.0, 0.0, 0.0)
        ctx.viewport = viewport
        ctx.enable(moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        self._mesh_program["u_view_proj"].write(_matrix_bytes(flipped))
        self._mesh_program["u_eye"].write(eye_bytes)
        self._mesh_program["u_matte"].value = matte
        for vertex_array, count in self._batches:
            vertex_array.render(instances=count)
        ctx.disable(moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        if not matte:
            self._plain.use()
            if viewport != (0, 0, *self.size):  # black bars; the picture is drawn in full
                self._plain.clear(0.0, 0.0, 0.0, 1.0)
            ctx.viewport = viewport
            inverse = _matrix_bytes(np.asarray(np.linalg.inv(flipped), dtype=np.float64))
            self._layer.use(0)
            ctx.enable_direct(GL_CLIP_DISTANCE0)
            for program, vertex_array in self._compose:
                program["u_inverse_view_proj"].write(inverse)
                program["u_eye"].write(eye_bytes)
                vertex_array.render()
            ctx.disable_direct(GL_CLIP_DISTANCE0)
        self._plain.read_into(self._pixels, components=3, alignment=1)
        return self._pixels

    def release(self) -> None:
        """Free the GL context and everything in it."""
        self._ctx.release()

    def __enter__(self) -> SceneRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
