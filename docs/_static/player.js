/* The player of every animation (markup: conv_explained._sphinx.player_html).
 * A .ce-player holds a <picture> (GIF; reduced-motion, print and narrow
 * sources), a "Step by step" list of the renderer's captions and data-ce-*
 * attributes: poster (final frame), sheet (all frames, `columns` per row),
 * size, durations (ms). With JS it starts paused on the poster, with buttons
 * (back, play/pause, forward), a frame counter, a speed choice, arrow keys and
 * Home/End; play runs one cycle; the frame's caption goes to a polite live
 * region; the sheet loads on first use into a canvas (works from file://).
 * Dark: data-ce-dark-src/-srcset and -poster-dark/-sheet-dark are shown while
 * html[data-theme="dark"] (the img gets ce-dark-shown, undimmed by the CSS).
 * Narrow: below 768 px a wide figure's data-ce-narrow-* (stacked panels, the
 * same frames) is shown, switching on resize; data-ce-size is the size shown
 * and "ce-relayout" tells figure_fit.js. Without JS the GIF plays, light,
 * narrow on small screens via <source media>.
 */
(function () {
  "use strict";

  var SPEEDS = [0.5, 1, 2];
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 767.98px)") : null;

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  // Swap a file for its dark one (the light one kept in data-ce-light-<attr>).
  function themed(node, attr, darkName) {
    var dark = node.getAttribute(darkName);
    if (!dark) return;
    var key = "data-ce-light-" + attr;
    if (!node.hasAttribute(key)) node.setAttribute(key, node.getAttribute(attr) || "");
    var want = isDark() ? dark : node.getAttribute(key);
    if (node.getAttribute(attr) !== want) node.setAttribute(attr, want);
    if (node.tagName === "IMG") node.classList.toggle("ce-dark-shown", isDark());
  }

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
    root.dataset.ceWideSize = root.dataset.ceSize;
    // With JS the player shows the narrow poster and sheet itself.
    var narrowSource = root.querySelector("picture source[data-ce-narrow]");
    if (narrowSource) narrowSource.parentNode.removeChild(narrowSource);
    this.geometry();
    this.count = this.captions.length;
    this.frame = this.count - 1;
    this.speed = 1;
    this.timer = null;
    this.sheet = null;
    this.loading = {};  // sheet URL -> Promise of its image
    this.active = false;

    // Start paused on the final frame: the poster replaces the looping GIF.
    root.dataset.ceGif = this.img.getAttribute("src");
    this.img.src = this.poster();

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

  // A small screen, and a figure with a narrow rendering.
  Player.prototype.narrow = function () {
    return !!(NARROW && NARROW.matches && this.root.dataset.ceNarrowSheet);
  };

  // Frame size and sheet columns of the rendering shown.
  Player.prototype.geometry = function () {
    var data = this.root.dataset;
    var narrow = this.narrow();
    var size = (narrow ? data.ceNarrowSize : data.ceWideSize).split(" ").map(Number);
    this.width = size[0];
    this.height = size[1];
    this.columns = Number(narrow ? data.ceNarrowColumns : data.ceColumns);
    data.ceSize = this.width + " " + this.height;
    data.ceLayout = narrow ? "narrow" : "wide";
  };

  // A file (Poster, Sheet) for the theme (light if no dark) and width.
  Player.prototype.file = function (name) {
    var data = this.root.dataset;
    var key = (this.narrow() ? "ceNarrow" : "ce") + name;
    var dark = data[key + "Dark"];
    return isDark() && dark ? dark : data[key];
  };

  Player.prototype.poster = function () { return this.file("Poster"); };

  Player.prototype.sheetUrl = function () { return this.file("Sheet"); };

  // The screen crossed 768 px: the other rendering, same frame.
  Player.prototype.relayout = function () {
    var before = this.root.dataset.ceLayout;
    this.geometry();
    if (this.root.dataset.ceLayout === before) return;
    this.canvas.width = this.width;
    this.canvas.height = this.height;
    this.sheet = null;
    this.retheme();
    this.root.dispatchEvent(new CustomEvent("ce-relayout", { bubbles: true }));
  };

  Player.prototype.load = function () {
    var self = this;
    var url = this.sheetUrl();
    if (!this.loading[url]) {
      this.loading[url] = new Promise(function (resolve, reject) {
        var sheet = new Image();
        sheet.onload = function () { resolve(sheet); };
        sheet.onerror = reject;
        sheet.src = url;
      });
    }
    return this.loading[url].then(function (sheet) {
      if (url === self.sheetUrl()) self.sheet = sheet;  // the theme may have changed
      return sheet;
    });
  };

  // The theme changed: the poster, and the frame shown, in its colours.
  Player.prototype.retheme = function () {
    var poster = this.poster();
    if (this.img.getAttribute("src") !== poster) this.img.src = poster;
    this.img.classList.toggle("ce-dark-shown", isDark() && !!this.root.dataset.cePosterDark);
    var light = this.narrow() ? this.root.dataset.ceNarrowSheet : this.root.dataset.ceSheet;
    this.canvas.dataset.ceTheme = this.sheetUrl() === light ? "light" : "dark";
    if (!this.active) return;
    var self = this;
    this.load().then(function () { self.draw(); }, function () {});
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

  // Every figure in the page's theme: players redraw, other images swap files.
  function applyTheme() {
    each(".ce-player", function (root) { if (root.ceplayer) root.ceplayer.retheme(); });
    each("source[data-ce-dark-srcset]",
      function (source) { themed(source, "srcset", "data-ce-dark-srcset"); });
    each("img[data-ce-dark-src]", function (img) {
      var root = img.closest(".ce-player");
      if (!root || !root.ceplayer) themed(img, "src", "data-ce-dark-src");
    });
  }

  function init() {
    each(".ce-player", function (root, index) {
      if (root.dataset.ceReady) return;
      root.dataset.ceReady = "true";
      root.ceplayer = new Player(root, index);
    });
    applyTheme();
    new MutationObserver(applyTheme).observe(document.documentElement,
      { attributes: true, attributeFilter: ["data-theme"] });
    if (NARROW && NARROW.addEventListener) {
      NARROW.addEventListener("change", function () {
        each(".ce-player", function (root) { if (root.ceplayer) root.ceplayer.relayout(); });
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
