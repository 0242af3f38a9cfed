"""The studio page in Debian's Chromium, driven by Playwright against a real ``beatcam serve``:
WebGL for three.js, the whole loop a user goes through, and "look through the camera" measured
on pixels against the previs renderer. Screenshots are kept in tests/artifacts/ to look at."""

from __future__ import annotations

import base64
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from beatcam.export.plan_json import loads
from beatcam.model import ShotPlan
from beatcam.render.previs import FrameMaker, fade_gains, scene_cameras
from beatcam.render.projection import picture_rect, to_pixels, view_projections
from beatcam.render.scene import SceneRenderer, matte_colour
from web_server import running_studio

CHROMIUM = "/usr/bin/chromium"
# Debian's chromium, never a downloaded one (STACK.md). Without a GPU, WebGL runs on
# SwiftShader; newer Chromiums want that allowed out loud.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--enable-unsafe-swiftshader",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORT: ViewportSize = {"width": 1700, "height": 1250}
CANVAS = (640, 360)  # the 3D view's size, which the previs is rendered at to compare
# How far, in pixels of the 640x360 frame, the head's centre in the look-through view may be
# from the eye point as the renderer's projection puts it (three.js anti-aliases the edges and
# tessellates the ellipsoid in its own way, and a projected ellipsoid's centre drifts a little
# from its projected centre) ...
EYE_TOLERANCE_PX = 1.0
# ... and from the centre of the head in the previs renderer's own ID pass of that frame, whose
# head also carries a nose and turns with the pose where the view's is a plain ellipsoid.
HEAD_TOLERANCE_PX = 2.5
# How far the head may be looked for around where the renderer drew it, in the decoded previs
# frame, and how far from there it may be found: the encoder moves no pixel.
HEAD_SEARCH_PX = 8
DECODED_SHIFT_PX = 0
# A pixel counts as the head's flat colour within this much per channel (edges are blended).
HEAD_COLOUR_TOLERANCE = 4
PLAN_TIMEOUT_MS = 60_000
SHOOT_TIMEOUT_MS = 180_000

TWO_BEATS = (
    "# Kitchen\nCast: Mara\nMara opens the letter at the kitchen table.\n"
    "Mara realises it is forged; dread creeps in.\n"
)

# One long beat, which the director covers in more than one shot.
LONG_BEAT = (
    "title: Long\ncast: [Mara]\nbeats:\n"
    "  - text: Mara paces the room, talking to herself, turning it over again and again.\n"
    "    seconds: 20\n"
)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_studio(tmp_path_factory.mktemp("studio")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, studio: str) -> Iterator[Page]:
    opened = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(studio)
    expect(opened.locator("body")).to_have_attribute("data-ready", "true")
    yield opened
    opened.close()
    assert errors == []


def _snap(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def _keep(picture: np.ndarray, name: str) -> None:
    """Keep a picture a test compared, to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    Image.fromarray(picture).save(ARTIFACTS / f"{name}.png")


def _plan(page: Page, text: str) -> dict[str, Any]:
    page.fill("#text", text)
    page.click("#plan")
    expect(page.locator("#shots tbody tr").first).to_be_visible(timeout=PLAN_TIMEOUT_MS)
    plan: dict[str, Any] = page.evaluate("window.studio.project.plans[0]")
    return plan


def _canvas(page: Page) -> np.ndarray:
    data = page.evaluate("document.querySelector('#view').toDataURL('image/png')")
    image = Image.open(io.BytesIO(base64.b64decode(data.split(",", 1)[1]))).convert("RGB")
    return np.asarray(image)


def test_three_js_gets_a_webgl2_context(page: Page) -> None:
    assert page.evaluate("window.studio.view.webgl") == 2
    assert page.evaluate("window.studio.view.renderer.getContext().isContextLost()") is False


def test_write_plan_scrub_edit_undo_shoot_and_play(page: Page, studio: str) -> None:
    plan = _plan(page, TWO_BEATS)
    rows = page.locator("#shots tbody tr")
    expect(rows).to_have_count(len(plan["shots"]))
    first = rows.first.locator("td")
    expect(first.nth(0)).to_have_text(plan["shots"][0]["id"])
    expect(first.nth(3)).to_contain_text(plan["shots"][0]["size"])
    assert page.locator("#curve polyline").count() >= 2
    assert page.locator("#floor circle").count() == 1

    # Scrub: the frame moves the 3D view, the curve's marker and the current shot.
    last = sum(beat["frames"] for beat in plan["beats"]) - 1
    before = _canvas(page)
    page.locator("#frame").fill(str(last))
    expect(page.locator("#frame-label")).to_have_text(f"frame {last}")
    expect(rows.last).to_have_class("current")
    page.check("#look")
    through = _canvas(page)
    assert np.abs(through.astype(int) - before.astype(int)).mean() > 5
    _snap(page, "studio-look-through")
    page.uncheck("#look")

    # Edit the last beat's first shot: its size changes in the table, and undo brings it back.
    edited_id = next(s for s in plan["shots"] if s["beat"] == plan["shots"][-1]["beat"])["id"]
    old_size = next(s["size"] for s in plan["shots"] if s["id"] == edited_id)
    new_size = "WS" if old_size != "WS" else "MS"
    page.locator(f"#shots tbody tr[data-shot={edited_id}]").click()
    page.select_option("#edit [name=size]", new_size)
    page.click("#apply")
    size_cell = page.locator(f"#shots tbody tr[data-shot={edited_id}] td").nth(3)
    expect(size_cell).to_contain_text(new_size, timeout=PLAN_TIMEOUT_MS)
    why = page.locator(f"#shots tbody tr[data-shot={edited_id}] td.why")
    expect(why).to_contain_text("pinned in the studio")
    expect(page.locator("#undo")).to_be_enabled()
    _snap(page, "studio-edited")
    page.click("#undo")
    expect(size_cell).to_contain_text(old_size, timeout=PLAN_TIMEOUT_MS)
    expect(page.locator("#redo")).to_be_enabled()

    # A pin that cannot be shot says why, inline, and the table stays as it was.
    page.locator(f"#shots tbody tr[data-shot={edited_id}]").click()
    page.select_option("#edit [name=movement]", "follow")
    page.click("#apply")
    expect(page.locator("#edit-error")).to_contain_text("cannot be shot here")
    expect(page.locator("#apply")).to_be_enabled()
    expect(size_cell).to_contain_text(old_size)
    # The refused choice stays in the form to be changed; picking the shot again shows the plan.
    expect(page.locator("#edit [name=movement]")).to_have_value("follow")
    page.locator(f"#shots tbody tr[data-shot={edited_id}]").click()
    planned_move = next(s["movement"] for s in plan["shots"] if s["id"] == edited_id)
    expect(page.locator("#edit [name=movement]")).to_have_value(planned_move)
    expect(page.locator("#edit-error")).to_be_hidden()

    # Shoot small, follow the progress, play the previs with its score.
    page.select_option("#resolution", "320x180")
    page.click("#shoot")
    expect(page.locator("#previs")).to_be_visible(timeout=SHOOT_TIMEOUT_MS)
    expect(page.locator("#files a")).not_to_have_count(0)
    video = page.evaluate(
        """async () => {
            const video = document.querySelector('#previs');
            video.muted = true;
            if (video.readyState < 2) {
                await new Promise((ok) => video.addEventListener('loadeddata', ok, {once: true}));
            }
            await video.play();
            await new Promise((done) => setTimeout(done, 600));
            return {width: video.videoWidth, height: video.videoHeight, time: video.currentTime,
                    duration: video.duration, error: video.error && video.error.code,
                    audio: video.mozHasAudio ?? (video.webkitAudioDecodedByteCount > 0)};
        }"""
    )
    assert video["error"] is None
    assert (video["width"], video["height"]) == (320, 180)
    assert video["time"] > 0.1
    assert video["duration"] == pytest.approx((last + 1) / plan["fps"], abs=0.1)
    assert video["audio"] is True
    zip_link = page.locator("#zip").get_attribute("href")
    assert zip_link is not None and zip_link.endswith("/zip")
    page.locator("#frame").fill(str(last // 2))
    _snap(page, "studio")  # docs/studio.png is a copy of this one


def test_a_later_shots_new_length_and_lock_show_in_the_table(page: Page) -> None:
    page.select_option("#format", "yaml")
    plan = _plan(page, LONG_BEAT)
    first, later = plan["shots"][:2]
    assert first["beat"] == later["beat"]

    # A beat's second shot is edited like any other: its length changes, the others keep
    # theirs, and only its row is marked pinned.
    row = page.locator(f"#shots tbody tr[data-shot={later['id']}]")
    row.click()
    expect(page.locator("#apply")).to_be_enabled()
    expect(page.locator("#lock")).to_be_enabled()
    page.fill("#edit [name=seconds]", "4")
    page.click("#apply")
    expect(row.locator("td").nth(2)).to_have_text("4.0", timeout=PLAN_TIMEOUT_MS)
    expect(row).to_have_class(re.compile(r"\bpinned\b"))
    first_row = page.locator(f"#shots tbody tr[data-shot={first['id']}]")
    expect(first_row.locator("td").nth(2)).to_have_text(f"{first['frames'] / plan['fps']:.1f}")
    expect(first_row).not_to_have_class(re.compile(r"\bpinned\b"))
    _snap(page, "studio-pinned")

    row.click()
    page.click("#lock")
    expect(row).to_have_class(re.compile(r"\blocked\b"), timeout=PLAN_TIMEOUT_MS)
    expect(first_row).not_to_have_class(re.compile(r"\blocked\b"))
    _snap(page, "studio-later-shot")


def _look_through_alone(page: Page) -> tuple[ShotPlan, int]:
    """Plan one person alone and look through the camera in the middle of the last shot: the
    plan and that frame."""
    plan = loads(json.dumps(_plan(page, "# Alone\nCast: Mara\nMara waits by the window.\n")))
    shot = plan.shots[-1]
    frame = shot.start_frame + shot.frames // 2
    page.locator("#frame").fill(str(frame))
    page.check("#look")
    return plan, frame


def test_look_through_the_camera_puts_the_eyes_where_the_previs_does(page: Page) -> None:
    plan, frame = _look_through_alone(page)
    seen = _canvas(page)
    assert seen.shape[:2] == (CANVAS[1], CANVAS[0])
    head_colour = page.evaluate(
        "window.studio.view.people[0].head.material.color.getHexString('srgb')"
    )
    flat = np.array([int(head_colour[i : i + 2], 16) for i in (0, 2, 4)])
    near = np.all(np.abs(seen.astype(int) - flat) <= HEAD_COLOUR_TOLERANCE, axis=2)
    rows, cols = np.nonzero(near)
    assert len(rows) > 30, "the head is not in the look-through view"

    rect = picture_rect(CANVAS, plan.aspect)
    cameras = scene_cameras(plan)
    matrices = view_projections(
        cameras.position, cameras.rotation, cameras.focal_mm, plan.sensor_mm[1], rect.aspect
    )
    with SceneRenderer(plan, CANVAS) as renderer:
        matte = renderer.render(
            frame,
            matrices[frame],
            cameras.position[frame],
            (rect.x, rect.y, rect.width, rect.height),
            matte=True,
        )
    head_rows, head_cols = np.nonzero(np.all(matte == matte_colour(0, head=True), axis=2))
    assert len(head_rows) > 30
    _keep(seen, "look-through")
    _keep(matte.copy(), "previs-matte")

    eye = plan.blocking["Mara"].eyes(frame, 1)
    ((eye_x, eye_y),) = to_pixels(eye, matrices[frame], rect)
    # Pixel i covers [i, i + 1): its centre is at i + 0.5 in projected coordinates.
    assert cols.mean() + 0.5 == pytest.approx(eye_x, abs=EYE_TOLERANCE_PX)
    assert rows.mean() + 0.5 == pytest.approx(eye_y, abs=EYE_TOLERANCE_PX)
    assert cols.mean() == pytest.approx(head_cols.mean(), abs=HEAD_TOLERANCE_PX)
    assert rows.mean() == pytest.approx(head_rows.mean(), abs=HEAD_TOLERANCE_PX)
    print(
        f"look-through head centre minus projected eye: {cols.mean() + 0.5 - eye_x:+.2f}, "
        f"{rows.mean() + 0.5 - eye_y:+.2f} px; minus the previs head: "
        f"{cols.mean() - head_cols.mean():+.2f}, {rows.mean() - head_rows.mean():+.2f} px"
    )


def _shot_previs(page: Page, studio: str) -> bytes:
    """previs.mp4 of the page's project, shot through the studio at the 3D view's size without
    the HUD (which would print over the picture)."""
    project = page.evaluate("window.studio.project.project.id")
    body = {"resolution": "x".join(map(str, CANVAS)), "hud": False, "stages": ["plan", "render"]}
    job = page.request.post(f"{studio}/api/projects/{project}/jobs", data=body).json()["id"]
    deadline = time.monotonic() + SHOOT_TIMEOUT_MS / 1000
    while (status := page.request.get(f"{studio}/api/jobs/{job}").json())["status"] != "done":
        assert status["status"] != "failed" and time.monotonic() < deadline, status
        time.sleep(0.2)
    return page.request.get(f"{studio}/api/jobs/{job}/files/previs.mp4").body()


def _decoded(video: bytes, frame: int) -> np.ndarray:
    with av.open(io.BytesIO(video), mode="r") as container:
        for index, decoded in enumerate(container.decode(video=0)):
            if index == frame:
                picture: np.ndarray = decoded.to_ndarray(format="rgb24")
                return picture
    raise AssertionError(f"previs.mp4 has no frame {frame}")


def _head_shift(decoded: np.ndarray, drawn: np.ndarray, head: np.ndarray) -> tuple[int, int]:
    """Where the head the renderer drew stands in the decoded frame, relative to where it was
    drawn: the (dx, dy) within HEAD_SEARCH_PX that best lays the drawn head's pixels (the
    matte's head mask) onto the decoded frame (least squared difference)."""
    rows, cols = np.nonzero(head)
    wanted = drawn[rows, cols].astype(float)
    height, width = head.shape
    costs = {}
    for dy in range(-HEAD_SEARCH_PX, HEAD_SEARCH_PX + 1):
        for dx in range(-HEAD_SEARCH_PX, HEAD_SEARCH_PX + 1):
            found = decoded[np.clip(rows + dy, 0, height - 1), np.clip(cols + dx, 0, width - 1)]
            costs[dx, dy] = float(((found.astype(float) - wanted) ** 2).mean())
    best = min(costs, key=lambda shift: costs[shift])
    assert costs[best] * 4 < max(costs.values()), "no head stands out in the decoded frame"
    return best


def test_the_eyes_seen_through_the_camera_are_on_the_heads_of_the_decoded_previs(
    page: Page, studio: str
) -> None:
    plan, frame = _look_through_alone(page)
    # The eye point as the studio's own three.js camera projects it, in canvas pixels.
    ndc = page.evaluate(
        """() => {
            const view = window.studio.view;
            const eye = view.people[0].head.position.clone().project(view.shotCamera);
            return [eye.x, eye.y];
        }"""
    )
    rect = picture_rect(CANVAS, plan.aspect)
    eye_x = rect.x + (ndc[0] + 1) / 2 * rect.width
    eye_y = rect.y + (1 - ndc[1]) / 2 * rect.height

    decoded = _decoded(_shot_previs(page, studio), frame)
    assert decoded.shape[:2] == (CANVAS[1], CANVAS[0])
    cameras = scene_cameras(plan)
    maker = FrameMaker(plan, CANVAS)
    try:
        matrices = maker.matrices(cameras.position, cameras.rotation, cameras.focal_mm)
        shot = int(cameras.shot[frame])
        drawn = maker.draw(frame, matrices[frame], cameras.position[frame], shot).copy()
        matte = maker.renderer.render(
            frame, matrices[frame], cameras.position[frame], maker.viewport, matte=True
        )
        head = np.all(matte == matte_colour(0, head=True), axis=2)
    finally:
        maker.release()
    drawn = np.round(drawn * fade_gains(plan)[frame]).astype(np.uint8)
    assert head.sum() > 30
    _keep(decoded, "previs-decoded")

    dx, dy = _head_shift(decoded, drawn, head)
    rows, cols = np.nonzero(head)
    head_x, head_y = cols.mean() + 0.5 + dx, rows.mean() + 0.5 + dy
    print(
        f"decoded previs frame {frame}: head found shifted {dx:+d}, {dy:+d} px from where the "
        f"renderer drew it; its centre minus the three.js eye point: {head_x - eye_x:+.2f}, "
        f"{head_y - eye_y:+.2f} px; picture differs from the drawn frame by "
        f"{np.abs(decoded.astype(int) - drawn.astype(int)).mean():.2f} levels on average"
    )
    assert abs(dx) <= DECODED_SHIFT_PX and abs(dy) <= DECODED_SHIFT_PX
    assert head_x == pytest.approx(eye_x, abs=HEAD_TOLERANCE_PX)
    assert head_y == pytest.approx(eye_y, abs=HEAD_TOLERANCE_PX)


def test_an_uploaded_screenplay_plans_every_scene_and_a_binary_file_is_refused(
    page: Page, tmp_path: Path
) -> None:
    screenplay = tmp_path / "night.fountain"
    screenplay.write_text(
        "INT. KITCHEN - NIGHT\n\nMARA sits at the table.\n\n"
        "EXT. STREET - DAY\n\nTOM runs down the street.\n"
    )
    page.set_input_files("#upload", str(screenplay))
    expect(page.locator("#format")).to_have_value("fountain")
    expect(page.locator("#text")).to_have_value(screenplay.read_text())
    page.click("#plan")
    expect(page.locator("#scene option")).to_have_count(2, timeout=PLAN_TIMEOUT_MS)
    page.select_option("#scene", "1")
    # the street scene, not the kitchen's: Tom's run is shot on the move, Mara's sitting is not
    movement = page.locator("#shots tbody tr").first.locator("td").nth(6)
    expect(movement).not_to_have_text("static", timeout=PLAN_TIMEOUT_MS)
    page.select_option("#scene", "0")
    expect(movement).to_have_text("static", timeout=PLAN_TIMEOUT_MS)
    page.select_option("#scene", "1")

    picture = tmp_path / "still.txt"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page.set_input_files("#upload", str(picture))
    expect(page.locator("#error")).to_contain_text("binary input")
    expect(page.locator("#text")).to_have_value(screenplay.read_text())
