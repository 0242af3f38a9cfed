"""Unit meshes the scene instances: each an ``(n, 6)`` float32 array of triangle vertices,
position then normal, so one vertex buffer and one draw call serve every copy of a shape."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Mesh = NDArray[np.float32]

SPHERE_SEGMENTS = 20
SPHERE_RINGS = 12
CYLINDER_SEGMENTS = 20


def _triangles(positions: NDArray[np.float64], normals: NDArray[np.float64]) -> Mesh:
    return np.concatenate([positions, normals], axis=1).astype(np.float32)


def cube() -> Mesh:
    """Axis-aligned cube of side 1 centred at the origin, flat normals."""
    faces = []
    for axis in range(3):
        for sign in (-1.0, 1.0):
            normal = np.zeros(3)
            normal[axis] = sign
            u, v = np.zeros(3), np.zeros(3)
            u[(axis + 1) % 3], v[(axis + 2) % 3] = 0.5, 0.5
            if sign < 0:
                u, v = v, u
            centre = normal * 0.5
            corners = [centre - u - v, centre + u - v, centre + u + v, centre - u + v]
            for index in (0, 1, 2, 0, 2, 3):
                faces.append((corners[index], normal))
    positions = np.array([p for p, _ in faces])
    normals = np.array([n for _, n in faces])
    return _triangles(positions, normals)


def sphere() -> Mesh:
    """Unit-radius UV sphere with smooth normals."""
    theta = np.linspace(0.0, np.pi, SPHERE_RINGS + 1)
    phi = np.linspace(0.0, 2.0 * np.pi, SPHERE_SEGMENTS + 1)
    grid = np.stack(
        [
            np.outer(np.sin(theta), np.sin(phi)),
            np.outer(np.cos(theta), np.ones_like(phi)),
            np.outer(np.sin(theta), np.cos(phi)),
        ],
        axis=2,
    )
    a, b = grid[:-1, :-1], grid[1:, :-1]
    c, d = grid[1:, 1:], grid[:-1, 1:]
    quads = np.stack([a, b, c, a, c, d], axis=2).reshape(-1, 3)
    return _triangles(quads, quads)


def cylinder() -> Mesh:
    """Cylinder of radius 1 from y = 0 to y = 1 with caps: limbs and torsos scale it."""
    phi = np.linspace(0.0, 2.0 * np.pi, CYLINDER_SEGMENTS + 1)
    ring = np.stack([np.sin(phi), np.zeros_like(phi), np.cos(phi)], axis=1)
    up = np.array([0.0, 1.0, 0.0])
    positions: list[NDArray[np.float64]] = []
    normals: list[NDArray[np.float64]] = []
    for i in range(CYLINDER_SEGMENTS):
        p0, p1 = ring[i], ring[i + 1]
        side = [p0, p1, p1 + up, p0, p1 + up, p0 + up]
        positions.extend(side)
        normals.extend([p0, p1, p1, p0, p1, p0])
        positions.extend([up, p0 + up, p1 + up, np.zeros(3), p1, p0])
        normals.extend([up] * 3 + [-up] * 3)
    return _triangles(np.array(positions), np.array(normals))
