"""The headless OpenGL context: Mesa's llvmpipe through EGL, so rendering needs no display
or GPU."""

from __future__ import annotations

from typing import Any

from beatcam.errors import StageError

EGL_PACKAGES = "libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1"
REQUIRED_GL = 330


def open_context() -> Any:
    """A standalone moderngl context on EGL; a StageError naming the packages when there is none."""
    try:
        import moderngl
    except ImportError as exc:
        raise StageError("render", "moderngl is not installed; run `make test` to set up") from exc
    create: Any = moderngl.create_standalone_context  # its stub mistypes ``backend``
    try:
        context = create(backend="egl")
    except Exception as exc:  # moderngl raises plain Exception when EGL or Mesa is missing
        raise StageError(
            "render",
            f"no headless OpenGL through EGL ({exc}); install the Debian packages "
            f"`apt-get install {EGL_PACKAGES}`",
        ) from exc
    if context.version_code < REQUIRED_GL:
        version = context.version_code
        context.release()
        raise StageError(
            "render", f"OpenGL {version} found, {REQUIRED_GL} needed; install {EGL_PACKAGES}"
        )
    return context
