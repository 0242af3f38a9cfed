// The 3D view: set boxes, the cast, every shot's camera path and frustum, and "look through the
// camera" with the previs renderer's projection (fov from the sensor height and the focal
// length, the picture's aspect, the same near and far planes; the server sends them).
import * as THREE from "three";
import { OrbitControls } from "/static/vendor/three/OrbitControls.js";

const PATH_COLOURS = [0x2f6fb0, 0xc0392b, 0x27ae60, 0x8e44ad, 0xd35400, 0x16a085];
const FRUSTUM_DEPTH_M = 0.6; // how far each shot's resting frustum reaches, for scale
const BODY_RADIUS_M = 0.16;
const HEAD_LIFT = 1.25; // heads a shade lighter than the costume, as the renderer's skin is
const ORBIT_OFFSET_M = new THREE.Vector3(4, 4, 6); // the overview camera, from the cast
const NECK_GAP = 0.1; // of the height, between the top of the body and the eyes
// Looking through the camera, the previs renderer's ground and sky at the horizon
// (render/scene.py's GROUND and HORIZON), so the picture reads as the previs frame does.
const GROUND_RGB = [0.56, 0.55, 0.52];
const HORIZON_RGB = [0.88, 0.89, 0.90];
const GROUND_SIZE_M = 400;
const OVERVIEW_BACKGROUND = 0x1d1f22;

export class SetView {
  constructor(canvas) {
    this.canvas = canvas;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(1);
    this.renderer.setSize(canvas.width, canvas.height, false);
    this.renderer.setScissorTest(true);
    this.orbit = new THREE.PerspectiveCamera(45, canvas.width / canvas.height, 0.05, 500);
    this.orbit.position.set(6, 6, 9);
    this.controls = new OrbitControls(this.orbit, canvas);
    this.controls.addEventListener("change", () => this.draw());
    this.shotCamera = new THREE.PerspectiveCamera();
    this.looking = false;
    this.frame = 0;
    this.plan = null;
  }

  get webgl() {
    return this.renderer.getContext() instanceof WebGL2RenderingContext ? 2 : 1;
  }

  show(plan, view) {
    this.plan = plan;
    this.view = view;
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(OVERVIEW_BACKGROUND);
    scene.add(new THREE.HemisphereLight(0xffffff, 0x444444, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.5);
    sun.position.set(3, 8, 5);
    scene.add(sun);
    const grid = new THREE.GridHelper(20, 20, 0x555555, 0x333333);
    scene.add(grid);
    this.ground = new THREE.Mesh(
      new THREE.PlaneGeometry(GROUND_SIZE_M, GROUND_SIZE_M).rotateX(-Math.PI / 2),
      new THREE.MeshLambertMaterial({ color: new THREE.Color().setRGB(...GROUND_RGB, THREE.SRGBColorSpace) }),
    );
    scene.add(this.ground);
    for (const box of plan.set.boxes) {
      const mesh = new THREE.Mesh(
        new THREE.BoxGeometry(...box.size),
        new THREE.MeshLambertMaterial({ color: 0xc9c6bf }),
      );
      mesh.position.set(...box.center);
      scene.add(mesh);
    }
    this.people = plan.cast.map(({ name, height_m }) => {
      const look = view.cast[name];
      const body = new THREE.Mesh(
        new THREE.CylinderGeometry(BODY_RADIUS_M, BODY_RADIUS_M, 1, 16),
        new THREE.MeshLambertMaterial({ color: new THREE.Color().setRGB(...look.costume, THREE.SRGBColorSpace) }),
      );
      // The head: the renderer's ellipsoid centred on the eye point, in one flat colour.
      const head = new THREE.Mesh(
        new THREE.SphereGeometry(1, 32, 16),
        new THREE.MeshBasicMaterial({ color: new THREE.Color().setRGB(...look.costume.map((c) => Math.min(c * HEAD_LIFT, 1)), THREE.SRGBColorSpace) }),
      );
      head.scale.set(...look.head_radii);
      scene.add(body, head);
      return { name, body, head, height: height_m };
    });
    this.helpers = [grid];
    plan.shots.forEach((shot, index) => {
      const colour = PATH_COLOURS[index % PATH_COLOURS.length];
      const points = shot.camera.position.map((p) => new THREE.Vector3(...p));
      const path = new THREE.Line(
        new THREE.BufferGeometry().setFromPoints(points),
        new THREE.LineBasicMaterial({ color: colour }),
      );
      const resting = new THREE.PerspectiveCamera(1, view.aspect_ratio, 0.05, FRUSTUM_DEPTH_M);
      this.pose(resting, shot, 0);
      resting.updateMatrixWorld();
      const frustum = new THREE.CameraHelper(resting);
      const tint = new THREE.Color(colour);
      frustum.setColors(tint, tint, tint, tint, tint);
      scene.add(path, resting, frustum);
      this.helpers.push(path, frustum);
    });
    this.liveFrustum = new THREE.CameraHelper(this.shotCamera);
    scene.add(this.shotCamera, this.liveFrustum);
    this.helpers.push(this.liveFrustum);
    this.scene = scene;
    this.aimOrbit(plan);
    this.setFrame(Math.min(this.frame, this.frames - 1));
  }

  // Look at where the cast stands at the start, from the front and above.
  aimOrbit(plan) {
    const middle = new THREE.Vector3();
    for (const { name } of plan.cast) middle.add(new THREE.Vector3(...plan.blocking[name].position[0]));
    middle.divideScalar(Math.max(plan.cast.length, 1));
    this.controls.target.copy(middle);
    this.orbit.position.copy(middle).add(ORBIT_OFFSET_M);
    this.controls.update();
  }

  get frames() {
    return this.plan ? this.plan.beats.reduce((n, b) => n + b.frames, 0) : 0;
  }

  shotAt(frame) {
    return this.plan.shots.find((s) => frame >= s.start_frame && frame < s.start_frame + s.frames);
  }

  // A camera placed as the plan's track has it on one frame of a shot: position, rotation
  // ([w, x, y, z], world from camera, looking down -Z) and the field of view of its lens.
  pose(camera, shot, index) {
    const [w, x, y, z] = shot.camera.rotation[index];
    camera.position.set(...shot.camera.position[index]);
    camera.quaternion.set(x, y, z, w);
    const sensorHeight = this.plan.sensor_mm[1];
    camera.fov = THREE.MathUtils.radToDeg(2 * Math.atan(sensorHeight / (2 * shot.camera.focal_mm[index])));
    camera.updateProjectionMatrix();
  }

  setFrame(frame) {
    if (!this.plan) return;
    this.frame = frame;
    const blocking = this.plan.blocking;
    for (const person of this.people) {
      const eye = this.view.cast[person.name].eyes[frame];
      const [x, , z] = blocking[person.name].position[frame];
      const top = Math.max(eye[1] - NECK_GAP * person.height, BODY_RADIUS_M);
      person.body.scale.set(1, top, 1);
      person.body.position.set(x, top / 2, z);
      person.head.position.set(...eye);
    }
    const shot = this.shotAt(frame);
    this.shotCamera.aspect = this.view.aspect_ratio;
    this.shotCamera.near = this.view.near_m;
    this.shotCamera.far = this.looking ? this.view.far_m : 1.5;
    this.pose(this.shotCamera, shot, frame - shot.start_frame);
    this.liveFrustum.update();
    this.draw();
  }

  look(on) {
    this.looking = on;
    this.setFrame(this.frame);
  }

  draw() {
    if (!this.scene) return;
    const { width, height } = this.canvas;
    this.renderer.setViewport(0, 0, width, height);
    this.renderer.setScissor(0, 0, width, height);
    this.renderer.setClearColor(0x000000, 1);
    this.renderer.clear();
    for (const helper of this.helpers) helper.visible = !this.looking;
    this.ground.visible = this.looking;
    this.scene.background = this.looking
      ? new THREE.Color().setRGB(...HORIZON_RGB, THREE.SRGBColorSpace)
      : new THREE.Color(OVERVIEW_BACKGROUND);
    if (!this.looking) {
      this.renderer.render(this.scene, this.orbit);
      return;
    }
    // The picture at the plan's aspect, centred, with black bars: render/projection.py's
    // picture_rect, which places the previs picture in its frame.
    const ratio = this.view.aspect_ratio;
    let w = width, h = Math.min(height, 2 * Math.round(width / ratio / 2)), x = 0, y = (height - h) / 2;
    if (ratio < width / height) {
      w = Math.min(width, 2 * Math.round(height * ratio / 2));
      h = height; x = (width - w) / 2; y = 0;
    }
    this.renderer.setViewport(x, y, w, h);
    this.renderer.setScissor(x, y, w, h);
    this.renderer.render(this.scene, this.shotCamera);
  }
}
