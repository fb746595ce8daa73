// Trainer: play / pause / step / reset, the loss curve, the decision boundary (or the fitted
// curve) and the network diagram. Python (backprop_widgets/widgets/trainer.py) runs the loop
// and computes every number; this module draws them and sends the clicks back.
//
// Test hooks: root data-testid="bw-trainer" (data-steps and data-version set at every repaint,
// data-running, data-drawn); buttons bw-train-play / -pause / -step / -reset; canvases
// bw-loss-curve and bw-boundary; controls data-testid="bw-control" data-name="lr" |
// "batch_size" | "log_scale"; on bw-boundary data-samples (points drawn) and data-first-sample
// ("x,y" of training sample 0 in CSS px); messages data-testid="bw-message" (data-name of the control that
// caused it, or "run").
import { unpack } from "./lib/buffers.js";
import { divergingRgb } from "./lib/colors.js";
import { formatNumber } from "./lib/format.js";
import { createNetworkView } from "./lib/network.js";
import { CLASS_COLORS, finiteRange, nearest, scale, ticks } from "./lib/trainplot.js";
import { followTheme } from "./lib/theme.js";

const PLOT = 300; // px, the boundary's side
const CURVE_W = 340;
const CURVE_H = 220;
const PAD = { left: 46, right: 10, top: 10, bottom: 28 };
const LOST = ["comm_live_update", "comm:close"];

function html(tag, className, parent = null, text = null) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

function button(parent, testid, label, title) {
  const b = html("button", "bw-train-button", parent, label);
  b.type = "button";
  b.dataset.testid = testid;
  b.title = title;
  return b;
}

function cssVar(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

function render({ model, el }) {
  const root = html("div", "bw-app bw-trainer", el);
  root.dataset.testid = "bw-trainer";
  const unfollow = followTheme(root);

  // ---- toolbar
  const bar = html("div", "bw-train-bar", root);
  const play = button(bar, "bw-train-play", "▶ Play", "train until paused");
  const pause = button(bar, "bw-train-pause", "❚❚ Pause", "stop training");
  const step = button(bar, "bw-train-step", "Step", "one gradient-descent update");
  const reset = button(bar, "bw-train-reset", "Reset", "back to the initial weights");
  const controls = {};
  const messages = {};
  function field(name, label, width, title) {
    const wrap = html("label", "bw-train-field", bar);
    html("span", null, wrap, label);
    const input = html("input", "bw-train-input", wrap);
    input.type = "text";
    input.size = width;
    input.title = title;
    input.dataset.testid = "bw-control";
    input.dataset.name = name;
    const msg = html("span", "bw-train-message bw-train-control-message", wrap);
    msg.dataset.testid = "bw-message";
    msg.dataset.name = name;
    msg.hidden = true;
    controls[name] = input;
    messages[name] = msg;
    const commit = () => {
      model.send({ action: "set", name, value: input.value });
    };
    input.addEventListener("change", commit);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") commit();
    });
    return input;
  }
  field("lr", "η", 6, "learning rate: multiplies the batch mean of the gradient");
  field("batch_size", "batch", 5, "batch size: a number, or 'full' for every training sample");
  const logWrap = html("label", "bw-train-field", bar);
  const logBox = html("input", null, logWrap);
  logBox.type = "checkbox";
  logBox.dataset.testid = "bw-control";
  logBox.dataset.name = "log_scale";
  html("span", null, logWrap, "log scale");
  logBox.addEventListener("change", () => {
    model.set("log_scale", logBox.checked);
    model.save_changes();
  });

  const status = html("div", "bw-train-status", root);
  const runMessage = html("div", "bw-train-message bw-train-run-message", root);
  runMessage.dataset.testid = "bw-message";
  runMessage.dataset.name = "run";
  runMessage.hidden = true;

  // ---- plots
  const plots = html("div", "bw-train-plots", root);
  const left = html("figure", "bw-train-figure", plots);
  const boundary = html("canvas", "bw-train-canvas bw-train-boundary", left);
  boundary.dataset.testid = "bw-boundary";
  const leftCap = html("figcaption", null, left);
  const right = html("figure", "bw-train-figure", plots);
  const curve = html("canvas", "bw-train-canvas", right);
  curve.dataset.testid = "bw-loss-curve";
  const legend = html("figcaption", null, right);
  // the network diagram, drawn by the code NetworkDiagram and the explorer draw theirs with
  const netView = createNetworkView(html("div", "bw-train-diagram", root));

  const dpr = Math.max(1, Math.min(2, globalThis.devicePixelRatio || 1));
  function size(canvas, w, h) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }
  const bctx = size(boundary, PLOT, PLOT);
  const cctx = size(curve, CURVE_W, CURVE_H);
  const grid = document.createElement("canvas");
  let hits = { xs: [], ys: [], split: [], index: [] };

  // ---- drawing
  function drawBoundary() {
    const task = model.get("task");
    const box = model.get("box") || [];
    const pic = model.get("picture") || {};
    const pts = model.get("samples") || {};
    const fg = cssVar(root, "--bw-fg", "#1f1f1f");
    bctx.clearRect(0, 0, PLOT, PLOT);
    hits = { xs: [], ys: [], split: [], index: [] };
    if (box.length === 4 && pic.score) {
      const score = unpack(pic.score);
      const cls = unpack(pic.cls);
      const [n, m] = score.shape;
      grid.width = m;
      grid.height = n;
      const g = grid.getContext("2d");
      const img = g.createImageData(m, n);
      const px = img.data;
      const binary = pic.kind === "binary";
      for (let k = 0; k < n * m; k++) {
        const rgb = binary
          ? divergingRgb(0.6 * score.data[k], 1) // the lighter part of the scale
          : CLASS_COLORS[cls.data[k] % CLASS_COLORS.length];
        px[4 * k] = rgb[0];
        px[4 * k + 1] = rgb[1];
        px[4 * k + 2] = rgb[2];
        px[4 * k + 3] = binary ? 210 : Math.round(60 + 140 * score.data[k]);
      }
      g.putImageData(img, 0, 0);
      bctx.imageSmoothingEnabled = true;
      bctx.drawImage(grid, 0, 0, PLOT, PLOT);
      // the samples do not move while training: drawn once into a layer, then copied
      const layer = sampleLayer(box, pts, binary);
      bctx.drawImage(layer.canvas, 0, 0, PLOT, PLOT);
      hits = layer.hits;
      const colours = binary
        ? "red: the network predicts class 1, blue: class 0, paler near the boundary"
        : "colour: the predicted class, paler where the network is less sure";
      leftCap.textContent = `decision boundary (${colours}); filled dots: training samples, ` +
        `rings: test samples; horizontal x\u2081 from ${formatNumber(box[0], 2)} to ` +
        `${formatNumber(box[1], 2)}, vertical x\u2082 from ${formatNumber(box[2], 2)} to ` +
        `${formatNumber(box[3], 2)}. Pause and click a sample to derive its gradient.`;
    } else if (box.length === 2 && pic.x) {
      drawCurveFit(box, pic, pts, fg);
      leftCap.textContent = "the fitted function (line) and the samples (dots)";
    } else {
      leftCap.textContent = "no picture for inputs of this width";
    }
    // where the first training sample is drawn (CSS px in the canvas), for tests to click
    boundary.dataset.firstSample = hits.xs.length ? `${hits.xs[0].toFixed(1)},${hits.ys[0].toFixed(1)}` : "";
    boundary.dataset.samples = String(hits.xs.length);
    const picked = model.get("picked") || [];
    if (picked.length === 2) {
      for (let k = 0; k < hits.xs.length; k++) {
        if (hits.split[k] === picked[0] && hits.index[k] === picked[1]) {
          bctx.beginPath();
          bctx.arc(hits.xs[k], hits.ys[k], 8, 0, 2 * Math.PI);
          bctx.lineWidth = 2.5;
          bctx.strokeStyle = fg;
          bctx.stroke();
        }
      }
    }
  }

  let layerCache = null;
  function sampleLayer(box, pts, binary) {
    if (layerCache && layerCache.pts === pts && layerCache.box === box && layerCache.binary === binary) {
      return layerCache;
    }
    const canvas = document.createElement("canvas");
    const ctx = size(canvas, PLOT, PLOT);
    const found = { xs: [], ys: [], split: [], index: [] };
    const sx = scale(box[0], box[1], 0, PLOT);
    const sy = scale(box[2], box[3], PLOT, 0);
    for (const [key, ckey, split] of [["X", "c", "train"], ["X_test", "c_test", "test"]]) {
      if (!pts[key] || !pts[key].data) continue;
      const P = unpack(pts[key]);
      const c = unpack(pts[ckey]);
      const N = P.shape[1] || 0;
      for (let k = 0; k < N; k++) {
        const x = sx(P.data[k]);
        const y = sy(P.data[N + k]);
        const rgb = binary ? (c.data[k] ? [178, 24, 43] : [33, 102, 172]) : CLASS_COLORS[c.data[k] % CLASS_COLORS.length];
        ctx.beginPath();
        ctx.arc(x, y, split === "train" ? 3.5 : 3, 0, 2 * Math.PI);
        ctx.fillStyle = split === "train" ? `rgb(${rgb.join(",")})` : "rgba(255,255,255,0.9)";
        ctx.fill();
        ctx.lineWidth = split === "train" ? 1 : 1.8;
        ctx.strokeStyle = split === "train" ? "rgba(255,255,255,0.9)" : `rgb(${rgb.join(",")})`;
        ctx.stroke();
        found.xs.push(x);
        found.ys.push(y);
        found.split.push(split);
        found.index.push(k);
      }
    }
    layerCache = { pts, box, binary, canvas, hits: found };
    return layerCache;
  }

  function drawCurveFit(box, pic, pts, fg) {
    const xs = unpack(pic.x).data;
    const ys = unpack(pic.y).data;
    const P = pts.X ? unpack(pts.X).data : [];
    const T = pts.c ? unpack(pts.c).data : [];
    const [lo, hi] = finiteRange([ys, T]);
    const pad = 0.1 * (hi - lo);
    const sx = scale(box[0], box[1], 8, PLOT - 8);
    const sy = scale(lo - pad, hi + pad, PLOT - 8, 8);
    bctx.fillStyle = "rgba(33,102,172,0.75)";
    for (let k = 0; k < P.length; k++) {
      const x = sx(P[k]);
      const y = sy(T[k]);
      bctx.beginPath();
      bctx.arc(x, y, 3, 0, 2 * Math.PI);
      bctx.fill();
      hits.xs.push(x);
      hits.ys.push(y);
      hits.split.push("train");
      hits.index.push(k);
    }
    bctx.beginPath();
    for (let k = 0; k < xs.length; k++) {
      const x = sx(xs[k]);
      const y = sy(ys[k]);
      if (k === 0) bctx.moveTo(x, y);
      else bctx.lineTo(x, y);
    }
    bctx.lineWidth = 2;
    bctx.strokeStyle = fg;
    bctx.stroke();
  }

  function drawLoss() {
    const c = model.get("curve") || {};
    const steps = c.step ? unpack(c.step).data : [];
    const train = c.train ? unpack(c.train).data : [];
    const test = c.test && c.test.data ? unpack(c.test).data : [];
    const log = Boolean(model.get("log_scale"));
    const fg = cssVar(root, "--bw-fg", "#1f1f1f");
    const muted = cssVar(root, "--bw-fg-muted", "#5a5a5a");
    cctx.clearRect(0, 0, CURVE_W, CURVE_H);
    const x0 = PAD.left;
    const x1 = CURVE_W - PAD.right;
    const y0 = CURVE_H - PAD.bottom;
    const y1 = PAD.top;
    const last = steps.length ? steps[steps.length - 1] : 0;
    const sx = scale(0, Math.max(1, last), x0, x1);
    let [lo, hi] = finiteRange([train, test], { positive: log });
    if (!log) lo = Math.min(0, lo);
    const sy = scale(lo, hi, y0, y1, log);
    cctx.font = "11px sans-serif";
    cctx.fillStyle = muted;
    cctx.strokeStyle = muted;
    cctx.lineWidth = 1;
    cctx.beginPath();
    cctx.moveTo(x0, y1);
    cctx.lineTo(x0, y0);
    cctx.lineTo(x1, y0);
    cctx.stroke();
    cctx.textAlign = "right";
    for (const t of ticks(lo, hi, 4, log)) {
      const y = sy(t);
      if (y < y1 - 1 || y > y0 + 1) continue;
      cctx.fillText(formatNumber(t, 2), x0 - 4, y + 4);
    }
    cctx.textAlign = "center";
    // steps are whole numbers: no fractional ticks (which would round to repeated labels)
    for (const t of ticks(0, Math.max(1, last), 4).filter(Number.isInteger)) cctx.fillText(String(t), sx(t), y0 + 14);
    cctx.fillText("step", (x0 + x1) / 2, CURVE_H - 2);
    cctx.save();
    cctx.translate(11, (y0 + y1) / 2);
    cctx.rotate(-Math.PI / 2);
    cctx.fillText(log ? "mean loss (log scale)" : "mean loss per sample", 0, 0);
    cctx.restore();
    for (const [ys, colour, dash] of [[train, fg, []], [test, "#d55e00", [5, 3]]]) {
      if (!ys.length) continue;
      cctx.beginPath();
      for (let k = 0; k < ys.length; k++) {
        const x = sx(steps[k]);
        const y = sy(ys[k]);
        if (k === 0) cctx.moveTo(x, y);
        else cctx.lineTo(x, y);
      }
      cctx.setLineDash(dash);
      cctx.lineWidth = 1.8;
      cctx.strokeStyle = colour;
      cctx.stroke();
      cctx.setLineDash([]);
      if (ys.length === 1) {
        // one point (step 0) is no line yet: show it as a dot
        cctx.beginPath();
        cctx.arc(sx(steps[0]), sy(ys[0]), 2.5, 0, 2 * Math.PI);
        cctx.fillStyle = colour;
        cctx.fill();
      }
    }
    // the legend, in the plot's top right corner
    cctx.textAlign = "left";
    let ly = y1 + 10;
    for (const [ys, colour, dash, name] of [[train, fg, [], "train"], [test, "#d55e00", [5, 3], "test"]]) {
      if (!ys.length) continue;
      cctx.beginPath();
      cctx.moveTo(x1 - 62, ly);
      cctx.lineTo(x1 - 40, ly);
      cctx.setLineDash(dash);
      cctx.lineWidth = 1.8;
      cctx.strokeStyle = colour;
      cctx.stroke();
      cctx.setLineDash([]);
      cctx.fillStyle = fg;
      cctx.fillText(name, x1 - 35, ly + 4);
      ly += 15;
    }
    const lastTrain = train.length ? formatNumber(train[train.length - 1], 4) : "–";
    const lastTest = test.length ? formatNumber(test[test.length - 1], 4) : "–";
    legend.textContent = `mean loss per sample — train (solid): ${lastTrain}` +
      (test.length ? `, test (dashed): ${lastTest}` : "") + (log ? " (log scale)" : "");
  }

  function drawStatus() {
    const running = Boolean(model.get("running"));
    const acc = model.get("accuracy_test");
    const accTrain = model.get("accuracy_train");
    let text = `step ${model.get("steps")}`;
    if (accTrain !== null && accTrain !== undefined) text += `   train accuracy ${(100 * accTrain).toFixed(1)}%`;
    if (acc !== null && acc !== undefined) text += `   test accuracy ${(100 * acc).toFixed(1)}%`;
    text += running ? "   (playing)" : "";
    status.textContent = text;
    play.disabled = running;
    pause.disabled = !running;
    const msg = model.get("message") || "";
    runMessage.textContent = msg;
    runMessage.hidden = !msg;
    const err = model.get("control_error") || {};
    for (const [name, m] of Object.entries(messages)) {
      const text2 = err.name === name ? err.text : "";
      m.textContent = text2;
      m.hidden = !text2;
      controls[name].classList.toggle("bw-train-invalid", Boolean(text2));
    }
    if (document.activeElement !== controls.lr && err.name !== "lr") controls.lr.value = String(model.get("lr"));
    if (document.activeElement !== controls.batch_size && err.name !== "batch_size") {
      const b = model.get("batch_size");
      controls.batch_size.value = b === null || b === undefined ? "full" : String(b);
    }
    logBox.checked = Boolean(model.get("log_scale"));
    root.dataset.running = String(running);
  }

  let frame = 0;
  function paint() {
    frame = 0;
    const t0 = performance.now();
    drawStatus();
    drawBoundary();
    drawLoss();
    // the diagram's structure comes once; each repaint sends only the weights (and scale)
    const d = { ...(model.get("diagram") || {}), ...(model.get("diagram_weights") || {}) };
    if (d.sizes) netView.draw(d, { show: "weights", selected: null, maxNodes: 16 });
    root.dataset.steps = String(model.get("steps"));
    root.dataset.version = String(model.get("version"));
    root.dataset.drawn = "true";
    root.dataset.paintMs = (performance.now() - t0).toFixed(1); // for benchmarks/bench_training.py
  }
  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(paint);
  }
  const TRAITS = ["version", "running", "message", "control_error", "log_scale", "lr", "batch_size", "picked"];
  for (const t of TRAITS) model.on(`change:${t}`, schedule);

  const send = (action) => () => model.send({ action });
  play.addEventListener("click", send("play"));
  pause.addEventListener("click", send("pause"));
  step.addEventListener("click", send("step"));
  reset.addEventListener("click", send("reset"));
  boundary.addEventListener("click", (event) => {
    const r = boundary.getBoundingClientRect();
    const k = nearest(hits.xs, hits.ys, event.clientX - r.left, event.clientY - r.top, 8);
    if (k < 0) return;
    model.send({ action: "pick", split: hits.split[k], index: hits.index[k] });
  });

  function lost() {
    root.classList.add("bw-disconnected");
    root.dataset.disconnected = "true";
    runMessage.textContent = "disconnected from the kernel: run the cell again";
    runMessage.hidden = false;
    for (const b of [play, pause, step, reset]) b.disabled = true;
    netView.disconnect("disconnected from the kernel: these values are no longer live");
  }
  for (const ev of LOST) model.on(ev, lost);

  paint();
  model.send({ action: "view", alive: true });

  return () => {
    unfollow();
    if (frame) cancelAnimationFrame(frame);
    for (const t of TRAITS) model.off(`change:${t}`, schedule);
    for (const ev of LOST) model.off(ev, lost);
    netView.destroy();
    try {
      model.send({ action: "view", alive: false });
    } catch (e) {
      // the comm is already closed: nothing to tell the kernel
    }
  };
}

export default { render };
