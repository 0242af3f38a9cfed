// Flat drawings of a plan in SVG: the emotional curve over the scene's time, and the floor plan
// seen from above (x right, z down the page, as the set is entered from +z).
const SVG = "http://www.w3.org/2000/svg";
const FLOOR_MARGIN_M = 1.0;

function element(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function polyline(points, colour, parent) {
  return element("polyline", {
    points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "),
    fill: "none", stroke: colour, "stroke-width": 2,
  }, parent);
}

// Intensity (0..1) and valence (-1..1) per beat as steps over the scene's frames, with the cuts
// marked and the frame being looked at as a line.
export function drawCurve(svg, plan, frame) {
  svg.replaceChildren();
  const width = 600, height = 160, pad = 14;
  const frames = plan.beats.reduce((n, b) => n + b.frames, 0);
  const x = (f) => pad + (f / frames) * (width - 2 * pad);
  const y = (v) => height - pad - v * (height - 2 * pad);
  element("line", { x1: pad, x2: width - pad, y1: y(0.5), y2: y(0.5), stroke: "#ddd" }, svg);
  for (const shot of plan.shots) {
    element("line", { x1: x(shot.start_frame), x2: x(shot.start_frame), y1: pad, y2: height - pad,
      stroke: "#eee" }, svg);
  }
  const steps = (value) => plan.beats.flatMap((b) => [[x(b.start_frame), y(value(b))],
    [x(b.start_frame + b.frames), y(value(b))]]);
  polyline(steps((b) => b.affect.intensity), "#c0392b", svg);
  polyline(steps((b) => (b.affect.valence + 1) / 2), "#2f6fb0", svg);
  element("line", { x1: x(frame), x2: x(frame), y1: pad, y2: height - pad, stroke: "#222",
    "stroke-dasharray": "3 3" }, svg);
  const legend = element("text", { x: pad, y: 11, "font-size": 11, fill: "#555" }, svg);
  legend.textContent = "intensity (red), valence (blue), cuts (grey)";
}

// Set boxes, each character's path and where they are now, and each shot's camera path.
export function drawFloor(svg, plan, frame, colours) {
  svg.replaceChildren();
  const points = [];
  for (const box of plan.set.boxes) {
    points.push([box.center[0] - box.size[0] / 2, box.center[2] - box.size[2] / 2],
      [box.center[0] + box.size[0] / 2, box.center[2] + box.size[2] / 2]);
  }
  for (const track of Object.values(plan.blocking)) points.push(...track.position.map((p) => [p[0], p[2]]));
  for (const shot of plan.shots) points.push(...shot.camera.position.map((p) => [p[0], p[2]]));
  const xs = points.map((p) => p[0]), zs = points.map((p) => p[1]);
  const left = Math.min(...xs) - FLOOR_MARGIN_M, top = Math.min(...zs) - FLOOR_MARGIN_M;
  const span = Math.max(Math.max(...xs) - left, Math.max(...zs) - top) + FLOOR_MARGIN_M;
  const scale = 300 / span;
  const at = ([px, pz]) => [(px - left) * scale, (pz - top) * scale];
  for (const box of plan.set.boxes) {
    const [bx, bz] = at([box.center[0] - box.size[0] / 2, box.center[2] - box.size[2] / 2]);
    element("rect", { x: bx, y: bz, width: box.size[0] * scale, height: box.size[2] * scale,
      fill: "#d8d5ce", stroke: "#aaa" }, svg);
  }
  plan.shots.forEach((shot) => {
    polyline(shot.camera.position.map((p) => at([p[0], p[2]])), "#7aa6d6", svg);
    const [cx, cz] = at([shot.camera.position[0][0], shot.camera.position[0][2]]);
    const label = element("text", { x: cx + 3, y: cz - 3, "font-size": 9, fill: "#2f6fb0" }, svg);
    label.textContent = shot.id;
  });
  plan.cast.forEach(({ name }, index) => {
    const track = plan.blocking[name];
    polyline(track.position.map((p) => at([p[0], p[2]])), colours[index], svg);
    const [px, pz] = at([track.position[frame][0], track.position[frame][2]]);
    element("circle", { cx: px, cy: pz, r: 5, fill: colours[index] }, svg);
    const label = element("text", { x: px + 6, y: pz + 4, "font-size": 10 }, svg);
    label.textContent = name;
  });
}
