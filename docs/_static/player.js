/* A player for every animation on the site (conv_explained._sphinx writes the markup).
 *
 * Each `.ce-player` holds a <picture> (GIF, reduced-motion still, print strip),
 * a "Step by step" list with the renderer's caption of every frame, and
 * data-ce-* attributes: the final frame (poster), the frame sheet (every frame
 * in one PNG, `columns` per row), the frame size and the durations in ms.
 *
 * With JavaScript the animation starts paused on its final frame (every output
 * filled) and gets real buttons: step back, play/pause, step forward, a frame
 * counter and a speed choice; the arrow keys step, Home/End jump. Playing runs
 * one cycle and stops on the final frame. The caption of the frame shown is
 * written below the picture in a polite live region. The frame sheet is loaded
 * on the first interaction only and drawn into a canvas, which works from
 * file:// too (nothing is fetched; no module, no inline script).
 * Without JavaScript the GIF plays as before.
 */
(function () {
  "use strict";

  var SPEEDS = [0.5, 1, 2];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Player(root, index) {
    var self = this;
    this.root = root;
    this.img = root.querySelector("picture img");
    this.captions = Array.prototype.map.call(
      root.querySelectorAll(".ce-steps li"),
      function (li) { return li.textContent; }
    );
    this.durations = root.dataset.ceDurations.split(" ").map(Number);
    this.columns = Number(root.dataset.ceColumns);
    var size = root.dataset.ceSize.split(" ").map(Number);
    this.width = size[0];
    this.height = size[1];
    this.count = this.captions.length;
    this.frame = this.count - 1;
    this.speed = 1;
    this.timer = null;
    this.sheet = null;
    this.loading = null;
    this.active = false;

    // Start paused on the final frame: the poster replaces the looping GIF.
    root.dataset.ceGif = this.img.getAttribute("src");
    this.img.src = root.dataset.cePoster;

    this.canvas = el("canvas", {
      class: "ce-canvas",
      width: String(this.width),
      height: String(this.height),
      role: "img",
      "aria-label": this.img.getAttribute("alt") || "",
    });
    this.canvas.hidden = true;
    this.img.parentNode.parentNode.insertBefore(this.canvas, this.img.parentNode.nextSibling);

    var bar = el("div", { class: "ce-player-bar", role: "group",
                          "aria-label": "Animation controls" });
    this.back = el("button", { type: "button", class: "ce-btn ce-back",
                               "aria-label": "Step back one frame" }, "\u23EE");
    this.play = el("button", { type: "button", class: "ce-btn ce-play",
                               "aria-label": "Play" }, "\u25B6");
    this.forward = el("button", { type: "button", class: "ce-btn ce-forward",
                                  "aria-label": "Step forward one frame" }, "\u23ED");
    this.counter = el("span", { class: "ce-counter" });
    var speedId = "ce-speed-" + index;
    var label = el("label", { for: speedId, class: "ce-speed-label" }, "Speed");
    this.select = el("select", { id: speedId, class: "ce-speed" });
    SPEEDS.forEach(function (s) {
      var option = el("option", { value: String(s) }, s + "\u00D7");
      if (s === 1) option.selected = true;
      self.select.appendChild(option);
    });
    [this.back, this.play, this.forward, this.counter, label, this.select].forEach(
      function (node) { bar.appendChild(node); }
    );
    this.live = el("p", { class: "ce-live", "aria-live": "polite" });
    var steps = root.querySelector(".ce-steps");
    root.insertBefore(bar, steps);
    root.insertBefore(this.live, steps);

    this.back.addEventListener("click", function () { self.stop(); self.step(-1); });
    this.forward.addEventListener("click", function () { self.stop(); self.step(1); });
    this.play.addEventListener("click", function () { self.toggle(); });
    this.select.addEventListener("change", function () {
      self.speed = Number(self.select.value) || 1;
    });
    root.addEventListener("keydown", function (event) {
      if (event.target === self.select) return;
      var moves = { ArrowLeft: -1, ArrowRight: 1 };
      if (event.key in moves) {
        self.stop();
        self.step(moves[event.key]);
      } else if (event.key === "Home" || event.key === "End") {
        self.stop();
        self.show(event.key === "Home" ? 0 : self.count - 1);
      } else {
        return;
      }
      event.preventDefault();
    });
    this.update(false);
  }

  Player.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.loading = new Promise(function (resolve, reject) {
        var sheet = new Image();
        sheet.onload = function () { self.sheet = sheet; resolve(sheet); };
        sheet.onerror = reject;
        sheet.src = self.root.dataset.ceSheet;
      });
    }
    return this.loading;
  };

  Player.prototype.draw = function () {
    if (!this.sheet) return;
    var col = this.frame % this.columns;
    var row = Math.floor(this.frame / this.columns);
    var ctx = this.canvas.getContext("2d");
    ctx.drawImage(this.sheet, col * this.width, row * this.height, this.width, this.height,
                  0, 0, this.width, this.height);
    if (this.canvas.hidden) {
      this.canvas.hidden = false;
      this.img.parentNode.hidden = true;
    }
  };

  Player.prototype.update = function (announce) {
    this.counter.textContent = "Frame " + (this.frame + 1) + " of " + this.count;
    var caption = this.captions[this.frame] || "";
    if (announce || this.live.textContent === "") this.live.textContent = caption;
    this.root.dataset.ceFrame = String(this.frame);
    if (!this.active) return;  // the sheet waits for the first interaction
    var self = this;
    this.load().then(function () { self.draw(); }, function () {});
  };

  Player.prototype.show = function (frame) {
    this.active = true;
    this.frame = Math.max(0, Math.min(this.count - 1, frame));
    this.update(true);
  };

  Player.prototype.step = function (delta) {
    this.show((this.frame + delta + this.count) % this.count);
  };

  Player.prototype.setPlaying = function (playing) {
    this.play.setAttribute("aria-label", playing ? "Pause" : "Play");
    this.play.textContent = playing ? "\u23F8" : "\u25B6";
    this.root.dataset.cePlaying = playing ? "true" : "false";
  };

  Player.prototype.stop = function () {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.setPlaying(false);
  };

  Player.prototype.tick = function () {
    var self = this;
    this.timer = setTimeout(function () {
      if (self.frame >= self.count - 1) { self.stop(); return; }  // one cycle, then stop
      self.show(self.frame + 1);
      self.tick();
    }, this.durations[this.frame] / this.speed);
  };

  Player.prototype.toggle = function () {
    if (this.timer !== null) { this.stop(); return; }
    this.active = true;
    if (this.frame >= this.count - 1) this.show(0);
    else this.update(false);
    this.setPlaying(true);
    this.tick();
  };

  function init() {
    var players = document.querySelectorAll(".ce-player");
    Array.prototype.forEach.call(players, function (root, index) {
      if (root.dataset.ceReady) return;
      root.dataset.ceReady = "true";
      root.ceplayer = new Player(root, index);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
