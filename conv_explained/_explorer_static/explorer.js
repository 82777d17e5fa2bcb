/* conv_explained explorer: correlation, convolution, transposed convolution and
 * pooling on a 2-D input, every number shown. A classic script (no modules: the
 * site must work from file://). Its arithmetic is checked against the Python
 * package by tests/browser/test_explorer.py. */
(function () {
  "use strict";

  var MODES = ["correlate", "convolve", "transpose", "max-pool", "avg-pool"];
  var PMODES = ["zeros", "reflect", "replicate", "circular"];
  /* The explorer's ranges, the renderer's drawing limits and the input bounds:
   * written into the page by conv_explained._explorer (data-limits), never copied here. */
  var L = null, LIMITS = null;
  var NP_PAD = {zeros: "constant", reflect: "reflect", replicate: "edge", circular: "wrap"};
  var SPEEDS = [0.5, 1, 2, 4];
  var NBSP_MINUS = "\u2212";
  var uid = 0;

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function eq(p) { return p[0] === p[1]; }
  /* Python's repr of an option as the package receives it: an int when both
   * axes agree, else a tuple; a padding word in quotes. */
  function repr(p) {
    if (typeof p === "string") return "'" + p + "'";
    return eq(p) ? String(p[0]) : "(" + p[0] + ", " + p[1] + ")";
  }
  function tuple(p) { return "(" + p[0] + ", " + p[1] + ")"; }
  function hw(p) { return eq(p) ? String(p[0]) : p[0] + "x" + p[1]; }
  function isInt(v) { return typeof v === "number" && isFinite(v) && Math.floor(v) === v; }
  function fmt(v, avg) {
    if (!isFinite(v)) return v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
    if (avg) { var s = v.toFixed(2); return s === "-0.00" ? "0.00" : s; }
    if (isInt(v)) return String(v === 0 ? 0 : v);
    return String(parseFloat(v.toFixed(4)));
  }
  function term(v) { var s = fmt(v); return v < 0 ? "(" + s + ")" : s; }
  /* A value as given: the shortest text that reads back as the same double. */
  function exact(v) { return v === 0 ? "0" : String(v); }
  /* The same as a Python literal: integers past 2**53 as floats (1e+21 is valid Python). */
  function pyNum(v) { var s = exact(v); return /^-?\d+$/.test(s) && Math.abs(v) > 9007199254740992 ? s + ".0" : s; }
  function pyList(a) {
    return "[" + a.map(function (r) { return "[" + r.map(pyNum).join(", ") + "]"; }).join(", ") + "]";
  }
  /* Shown in an editable cell: the exact value when short, else the rounded one. */
  function cellText(v) { var s = exact(v); return s.length <= 10 ? s : fmt(v); }
  function clip(text, n) { text = String(text); return text.length > n ? text.slice(0, n - 1) + "\u2026" : text; }
  function quote(text) { return "'" + clip(text, 40) + "'"; }
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function trim(s) { return s.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, ""); }  // ASCII, as Python's
  function grid(h, w, f) {
    var out = [];
    for (var r = 0; r < h; r++) { var row = []; for (var c = 0; c < w; c++) row.push(f(r, c)); out.push(row); }
    return out;
  }
  function floorDiv(a, b) { return Math.floor(a / b); }
  function ceilDiv(a, b) { return -Math.floor(-a / b); }

  /* Seeded fill: a stream per grid (mulberry32), read row-major from a 16-wide
   * table, so a resize keeps the values of the cells that stay. */
  function seeded(seed, which, h, w, lo, hi) {
    var a = (seed * 2654435761 + (which === "x" ? 1 : 7)) >>> 0;
    var table = [], wide = Math.max(16, LIMITS.input[1]);
    for (var n = 0; n < wide * wide; n++) {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      t = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      table.push(lo + Math.floor(t * (hi - lo + 1)));
    }
    return grid(h, w, function (r, c) { return table[r * wide + c]; });
  }
  function fillX(st) { return seeded(st.seed, "x", st.input[0], st.input[1], 0, 4); }
  function fillW(st) { return seeded(st.seed, "w", st.kernel[0], st.kernel[1], -2, 2); }
  function sameGrid(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    for (var r = 0; r < a.length; r++) {
      if (a[r].length !== b[r].length) return false;
      for (var c = 0; c < a[r].length; c++) if (a[r][c] !== b[r][c]) return false;
    }
    return true;
  }
  function resized(old, h, w, fill) {
    return grid(h, w, function (r, c) { return old && r < old.length && c < old[0].length ? old[r][c] : fill[r][c]; });
  }

  // ------------------------------------------------------------- the state
  function defaults() {
    return {mode: "correlate", input: [6, 6], kernel: [3, 3], stride: [1, 1], padding: [0, 0],
      dilation: [1, 1], output_padding: [0, 0], padding_mode: "zeros", ceil_mode: false,
      count_include_pad: true, seed: 0, x: null, w: null};
  }
  function isPool(mode) { return mode === "max-pool" || mode === "avg-pool"; }

  var NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
  /* "the explorer takes input from 1 to 16, got 17": the explorer's own ranges. */
  function rangeMsg(name, text) {
    var lim = LIMITS[name];
    return "the explorer takes " + name + " from " + lim[0] + " to " + lim[1] + ", got " + clip(text, 40);
  }
  function parsePair(name, text) {
    var m = /^(-?\d+)[ \t\n\r\f\v]*(?:[x,][ \t\n\r\f\v]*(-?\d+))?$/i.exec(text);
    if (!m) throw new Error(name + " must be an integer or HxW (for example 2 or 2x1), got " + quote(text));
    if (m[1].length > 9 || (m[2] || "").length > 9) throw new Error(rangeMsg(name, text));
    var a = parseInt(m[1], 10), b = m[2] === undefined ? a : parseInt(m[2], 10);
    return [a, b];
  }
  /* Rows and columns are counted before any number is read: a huge x= costs nothing. */
  function parseGrid(name, text, lim) {
    var rows = text.split(";");
    if (rows.length > lim) throw new Error(name + "= has " + rows.length + " rows; the explorer takes at most " + lim);
    rows = rows.map(function (row) {
      var cells = row.split(",");
      if (cells.length > lim) throw new Error(name + "= has " + cells.length + " values in a row; the explorer takes at most " + lim);
      return cells.map(function (v) {
        var t = trim(v), n = parseFloat(t);
        if (t.length > L.number || !NUMBER.test(t)) throw new Error(name + "= holds " + quote(t) + ", which is not a number");
        if (!isFinite(n)) throw new Error(name + "= holds " + quote(t) + ", which is beyond the largest double (\u00b11.8e308)");
        return n;
      });
    });
    for (var r = 1; r < rows.length; r++) if (rows[r].length !== rows[0].length) {
      throw new Error(name + "= must have the same number of values in every row, got " +
        rows.map(function (q) { return q.length; }).join(", "));
    }
    return rows;
  }
  function parseBool(name, text) {
    var t = text.toLowerCase();
    if (t === "1" || t === "true") return true;
    if (t === "0" || t === "false") return false;
    throw new Error(name + " must be true or false, got " + quote(text));
  }
  function choice(name, text, list) {
    if (list.indexOf(text) < 0) throw new Error(name + " must be one of " + list.join(", ") + ", got " + quote(text));
    return text;
  }
  /* The sizes that size the grids (input, kernel): checked before any fill is made. */
  function sizeMsg(st) {
    var names = ["input", "kernel"];
    for (var n = 0; n < 2; n++) {
      var v = st[names[n]], lim = LIMITS[names[n]];
      if (!(v[0] >= lim[0] && v[1] >= lim[0] && v[0] <= lim[1] && v[1] <= lim[1])) return rangeMsg(names[n], hw(v));
    }
    return null;
  }
  var KEYS = ["preset", "mode", "input", "kernel", "stride", "padding", "dilation", "output_padding", "padding_mode",
    "ceil_mode", "count_include_pad", "seed", "x", "w"];

  /* A state from a query string (and a preset); errors are thrown with a message.
   * Every parameter is read once, trimmed and bounded in length before it is parsed. */
  function fromParams(search, presets) {
    search = String(search);
    if (search.length > L.query) throw new Error("the address holds " + search.length + " characters; the explorer reads at most " + L.query);
    var params = new URLSearchParams(search), given = {};
    KEYS.forEach(function (k) {
      var all = params.getAll(k);
      if (all.length > 1) throw new Error(k + " is given " + all.length + " times");
      if (!all.length) return;
      var v = trim(all[0]);
      if (k !== "x" && k !== "w" && v.length > L.value) throw new Error(k + " is " + v.length + " characters long; at most " + L.value);
      given[k] = v;
    });
    var has = function (k) { return own(given, k); };
    var st = defaults(), p = given.preset;
    if (has("preset")) {
      if (!own(presets, p)) throw new Error("unknown preset " + quote(p) + "; choose from " + clip(Object.keys(presets).join(", "), 120));
      st = applyPreset(st, presets[p]);
      st.preset = p;
    }
    if (has("mode")) st.mode = choice("mode", given.mode, MODES);
    ["input", "kernel", "stride", "dilation", "output_padding"].forEach(function (k) {
      if (has(k)) st[k] = parsePair(k, given[k]);
    });
    if (isPool(st.mode) && !has("stride") && !has("preset")) st.stride = st.kernel.slice();
    if (has("padding")) {
      var t = given.padding.toLowerCase();
      st.padding = (t === "same" || t === "valid" || t === "full") ? t : parsePair("padding", t);
    }
    if (has("padding_mode")) st.padding_mode = choice("padding_mode", given.padding_mode, PMODES);
    if (has("ceil_mode")) st.ceil_mode = parseBool("ceil_mode", given.ceil_mode);
    if (has("count_include_pad")) st.count_include_pad = parseBool("count_include_pad", given.count_include_pad);
    if (has("seed")) {
      if (!/^\d{1,9}$/.test(given.seed) || +given.seed > L.seed) throw new Error("seed must be an integer from 0 to " + L.seed + ", got " + quote(given.seed));
      st.seed = +given.seed;
    }
    ["x", "w"].forEach(function (k) {
      if (!has(k)) return;
      var size = k === "x" ? "input" : "kernel", g = parseGrid(k, given[k], LIMITS[size][1]), shape = [g.length, g[0].length];
      if (has(size) && (shape[0] !== st[size][0] || shape[1] !== st[size][1])) {
        throw new Error(k + "= is " + shape[0] + "x" + shape[1] + " but " + size + "=" + clip(given[size], 40));
      }
      st[k] = g; st[size] = shape;
    });
    return st;  // sizes out of range are kept (the form shows them) and refused before any fill
  }
  function applyPreset(st, pr) {
    var s = defaults();
    s.seed = st.seed;
    for (var k in pr) if (own(pr, k) && own(s, k)) s[k] = (pr[k] && pr[k].slice) ? pr[k].slice() : pr[k];
    s.input = [pr.x.length, pr.x[0].length];
    s.kernel = pr.w ? [pr.w.length, pr.w[0].length] : pr.kernel.slice();
    s.x = pr.x.map(function (r) { return r.slice(); });
    s.w = pr.w ? pr.w.map(function (r) { return r.slice(); }) : null;
    return s;
  }
  function sameValue(a, b) {
    if (a && typeof a === "object" && a.length !== undefined && a.length && typeof a[0] === "object") return sameGrid(a, b);
    if (a && typeof a === "object" && a.length !== undefined) {
      return !!b && typeof b === "object" && b.length === a.length && a.every(function (v, n) { return v === b[n]; });
    }
    return a === b;
  }
  /* Whether the state is still the preset: every value the preset sets is the state's. */
  function isPreset(st, pr) {
    var s = defaults();
    for (var k in pr) if (own(pr, k) && own(s, k) && k !== "seed" && !sameValue(pr[k], st[k])) return false;
    if (pr.kernel === undefined && pr.w && !sameValue([pr.w.length, pr.w[0].length], st.kernel)) return false;
    return sameValue([pr.x.length, pr.x[0].length], st.input);
  }
  /* The preset the state is (the one asked for first, else the first that matches), or "". */
  function presetOf(st, presets) {
    if (st.preset && own(presets, st.preset) && isPreset(st, presets[st.preset])) return st.preset;
    for (var k in presets) if (own(presets, k) && isPreset(st, presets[k])) return k;
    return "";
  }
  /* The state as an address: every value exact and percent-encoded (',' and ';' kept readable). */
  function toQuery(st) {
    var pair = function (k, v) { return k + "=" + encodeURIComponent(v).replace(/%2C/g, ",").replace(/%3B/g, ";"); };
    var q = [pair("mode", st.mode), pair("input", hw(st.input)), pair("kernel", hw(st.kernel)), pair("stride", hw(st.stride)),
      pair("padding", typeof st.padding === "string" ? st.padding : hw(st.padding))];
    if (st.mode !== "avg-pool") q.push(pair("dilation", hw(st.dilation)));
    if (st.mode === "transpose") q.push(pair("output_padding", hw(st.output_padding)));
    if (st.mode === "correlate" || st.mode === "convolve") q.push(pair("padding_mode", st.padding_mode));
    if (isPool(st.mode)) q.push(pair("ceil_mode", st.ceil_mode));
    if (st.mode === "avg-pool") q.push(pair("count_include_pad", st.count_include_pad));
    q.push(pair("seed", st.seed));
    var enc = function (g) { return g.map(function (r) { return r.map(exact).join(","); }).join(";"); };
    if (!sizeMsg(st)) {  // a refused size has no grid of its own to write
      if (!sameGrid(st.x, fillX(st))) q.push(pair("x", enc(st.x)));
      if (st.mode !== "max-pool" && st.mode !== "avg-pool" && !sameGrid(st.w, fillW(st))) q.push(pair("w", enc(st.w)));
    }
    return "?" + q.join("&");
  }

  // -------------------------------------------------------- the arithmetic
  /* Checks in the package's order, with its messages (conv_explained.ops,
   * shapes, pooling and _core), then the explorer's own ranges. */
  function ntupleMsg(name, p, minimum) {
    var words = minimum === 0 ? "a non-negative integer" : "a positive integer";
    if (typeof p === "string") return name + " must be " + words + " or a tuple of 2 of them, got '" + p + "'";
    if (p[0] >= minimum && p[1] >= minimum) return null;
    return eq(p) ? name + " must be " + words + ", got " + p[0] : name + " must be " + words + " or a tuple of 2 of them, got " + repr(p);
  }
  function fitsMsg(i, k, d, b, a) {
    var e = d * (k - 1) + 1;
    if (e <= i + b + a) return null;
    return "kernel_size " + k + " (effective size " + e + " with dilation " + d + ") is larger than the padded input " +
      (i + b + a) + " (input " + i + " + padding " + b + " + " + a + ")";
  }
  function resolvePads(st) {
    var k = st.kernel, d = st.dilation;
    if (st.padding === "valid") return [[0, 0], [0, 0]];
    if (st.padding === "full") return [0, 1].map(function (ax) { var t = d[ax] * (k[ax] - 1); return [t, t]; });
    if (st.padding === "same") return [0, 1].map(function (ax) { var t = d[ax] * (k[ax] - 1); return [t >> 1, t - (t >> 1)]; });
    return [[st.padding[0], st.padding[0]], [st.padding[1], st.padding[1]]];
  }
  function validate(st) {
    var m = sizeMsg(st), ax, k = st.kernel, mode = st.mode;
    if (m) return m;
    if (mode === "correlate" || mode === "convolve") {
      if (PMODES.indexOf(st.padding_mode) < 0) {
        return "padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', got '" + st.padding_mode + "'";
      }
      if ((m = ntupleMsg("stride", st.stride, 1)) || (m = ntupleMsg("dilation", st.dilation, 1))) return m;
      if (typeof st.padding !== "string" && (m = ntupleMsg("padding", st.padding, 0))) return m;
      if (st.padding === "same" && !(st.stride[0] === 1 && st.stride[1] === 1)) {
        return "padding='same' is not supported for strided convolutions, got stride " + repr(st.stride);
      }
      var pads = resolvePads(st);
      for (ax = 0; ax < 2; ax++) if ((m = fitsMsg(st.input[ax], k[ax], st.dilation[ax], pads[ax][0], pads[ax][1]))) return m;
      for (ax = 0; ax < 2; ax++) {
        var big = Math.max(pads[ax][0], pads[ax][1]), size = st.input[ax];
        if (st.padding_mode === "reflect" && big >= size) {
          return "padding " + big + " is too large for padding_mode 'reflect' on an axis of size " + size + ": it must be smaller than the size";
        }
        if (st.padding_mode === "circular" && big > size) {
          return "padding " + big + " is too large for padding_mode 'circular' on an axis of size " + size + ": it must be at most the size";
        }
      }
    } else if (mode === "transpose") {
      if ((m = ntupleMsg("stride", st.stride, 1)) || (m = ntupleMsg("padding", st.padding, 0)) ||
          (m = ntupleMsg("output_padding", st.output_padding, 0)) || (m = ntupleMsg("dilation", st.dilation, 1))) return m;
      for (ax = 0; ax < 2; ax++) {
        var s = st.stride[ax], a = st.output_padding[ax], dl = st.dilation[ax];
        if (a >= s && a >= dl) {
          return "output_padding must be smaller than either stride or dilation, got output_padding " + repr(st.output_padding) +
            " with stride " + repr(st.stride) + " and dilation " + repr(st.dilation);
        }
        var o = s * (st.input[ax] - 1) - 2 * st.padding[ax] + dl * (k[ax] - 1) + a + 1;
        if (o < 1) {
          return "padding " + repr(st.padding) + " is too large: the transposed convolution of size " + st.input[ax] +
            " with kernel_size " + k[ax] + ", stride " + s + " and dilation " + dl + " would have output size " + o;
        }
      }
    } else {
      var dil = mode === "avg-pool" ? [1, 1] : st.dilation;
      if ((m = ntupleMsg("kernel_size", k, 1)) || (m = ntupleMsg("stride", st.stride, 1)) ||
          (m = ntupleMsg("padding", st.padding, 0)) || (m = ntupleMsg("dilation", dil, 1))) return m;
      for (ax = 0; ax < 2; ax++) {
        var p = st.padding[ax];
        if (p > (k[ax] >> 1)) return "padding must be at most half of kernel_size, got padding " + tuple(st.padding) + " with kernel_size " + tuple(k);
        if (poolSize(st, ax) < 1 && (m = fitsMsg(st.input[ax], k[ax], dil[ax], p, p))) return m;
      }
    }
    // The explorer's own ranges (the package has none), for every parameter, used or not.
    var checks = [["stride", st.stride], ["dilation", st.dilation], ["output_padding", st.output_padding]];
    if (typeof st.padding !== "string") checks.push(["padding", st.padding]);
    for (var n = 0; n < checks.length; n++) {
      var lim = LIMITS[checks[n][0]], v = checks[n][1];
      if (!(v[0] >= lim[0] && v[1] >= lim[0] && v[0] <= lim[1] && v[1] <= lim[1])) return rangeMsg(checks[n][0], hw(v));
    }
    return null;
  }
  function poolSize(st, ax) {
    var i = st.input[ax], k = st.kernel[ax], s = st.stride[ax], p = st.padding[ax];
    var d = st.mode === "avg-pool" ? 1 : st.dilation[ax];
    var span = i + 2 * p - d * (k - 1) - 1;
    var o = (st.ceil_mode ? ceilDiv(span, s) : floorDiv(span, s)) + 1;
    if (st.ceil_mode && (o - 1) * s >= i + p) o -= 1;
    return o;
  }
  function padIndex(j, n, mode) {
    if (j >= 0 && j < n) return j;
    if (mode === "replicate") return j < 0 ? 0 : n - 1;
    if (mode === "circular") return ((j % n) + n) % n;
    if (mode === "reflect") return j < 0 ? -j : 2 * (n - 1) - j;
    return -1;
  }

  /* Everything drawn: the grid the window slides over (padded; for transpose
   * zero-inserted), the kernel as applied, the output and each output's taps. */
  function compute(st) {
    var H = st.input[0], W = st.input[1], kh = st.kernel[0], kw = st.kernel[1], x = st.x, mode = st.mode;
    var r, c, res = {mode: mode};
    if (mode === "correlate" || mode === "convolve") {
      var pads = resolvePads(st), pm = st.padding_mode;
      res.pads = pads;
      res.grid = grid(H + pads[0][0] + pads[0][1], W + pads[1][0] + pads[1][1], function (gr, gc) {
        var sr = padIndex(gr - pads[0][0], H, pm), sc = padIndex(gc - pads[1][0], W, pm);
        var inside = gr >= pads[0][0] && gr < pads[0][0] + H && gc >= pads[1][0] && gc < pads[1][0] + W;
        return {v: sr < 0 || sc < 0 ? 0 : x[sr][sc], src: sr < 0 || sc < 0 ? null : [sr, sc], pad: !inside};
      });
      res.kapp = mode === "convolve" ? grid(kh, kw, function (u, v) { return st.w[kh - 1 - u][kw - 1 - v]; }) : st.w;
      res.step = st.stride; res.dil = st.dilation;
      res.size = [0, 1].map(function (ax) {
        return floorDiv(st.input[ax] + pads[ax][0] + pads[ax][1] - st.dilation[ax] * (st.kernel[ax] - 1) - 1, st.stride[ax]) + 1;
      });
    } else if (mode === "transpose") {
      var s = st.stride, d = st.dilation, p = st.padding, a = st.output_padding;
      var before = [0, 1].map(function (ax) { return d[ax] * (st.kernel[ax] - 1) - p[ax]; });
      var dims = [0, 1].map(function (ax) { return (st.input[ax] - 1) * s[ax] + 1 + 2 * before[ax] + a[ax]; });
      res.before = before;
      res.grid = grid(dims[0], dims[1], function (gr, gc) {
        var zr = gr - before[0], zc = gc - before[1];
        var inside = zr >= 0 && zc >= 0 && zr <= (H - 1) * s[0] && zc <= (W - 1) * s[1];
        if (inside && zr % s[0] === 0 && zc % s[1] === 0) return {v: x[zr / s[0]][zc / s[1]], src: [zr / s[0], zc / s[1]], pad: false};
        return {v: 0, src: null, pad: !inside, zero: inside};
      });
      res.kapp = grid(kh, kw, function (u, v) { return st.w[kh - 1 - u][kw - 1 - v]; });
      res.step = [1, 1]; res.dil = d;
      res.size = [0, 1].map(function (ax) { return s[ax] * (st.input[ax] - 1) - 2 * p[ax] + d[ax] * (st.kernel[ax] - 1) + a[ax] + 1; });
    } else {
      var pp = st.padding, max = mode === "max-pool";
      res.grid = grid(H + 2 * pp[0], W + 2 * pp[1], function (gr, gc) {
        var sr = gr - pp[0], sc = gc - pp[1], inside = sr >= 0 && sc >= 0 && sr < H && sc < W;
        return {v: inside ? x[sr][sc] : (max ? -Infinity : 0), src: inside ? [sr, sc] : null, pad: !inside};
      });
      res.step = st.stride; res.dil = max ? st.dilation : [1, 1];
      res.size = [poolSize(st, 0), poolSize(st, 1)];
    }
    var G = res.grid, kapp = res.kapp, o = res.size, step = res.step, dl = res.dil;
    res.taps = grid(o[0], o[1], function (i, j) {
      var list = [];
      for (var u = 0; u < kh; u++) for (var v = 0; v < kw; v++) {
        var gr = i * step[0] + u * dl[0], gc = j * step[1] + v * dl[1];
        if (gr < G.length && gc < G[0].length) list.push([gr, gc, u, v]);  // ceil_mode overhang: left out
      }
      return list;
    });
    res.out = grid(o[0], o[1], function (i, j) {
      var taps = res.taps[i][j], t, acc;
      if (mode === "max-pool") {
        acc = -Infinity;
        for (t = 0; t < taps.length; t++) acc = Math.max(acc, G[taps[t][0]][taps[t][1]].v);
        return acc;
      }
      acc = 0;
      if (mode === "avg-pool") {
        var n = 0;
        for (t = 0; t < taps.length; t++) {
          var cell = G[taps[t][0]][taps[t][1]];
          acc += cell.v;
          if (!cell.pad || st.count_include_pad) n += 1;
        }
        return acc / n;
      }
      for (t = 0; t < taps.length; t++) acc += G[taps[t][0]][taps[t][1]].v * kapp[taps[t][2]][taps[t][3]];
      return acc;
    });
    return res;
  }

  function formula(st, res, i, j) {
    var taps = res.taps[i][j], G = res.grid, v = res.out[i][j], head = "output[" + i + ", " + j + "] = ";
    var vals = taps.map(function (t) { return G[t[0]][t[1]].v; });
    if (st.mode === "max-pool") return head + "max(" + vals.map(function (q) { return fmt(q); }).join(", ") + ") = " + fmt(v);
    if (st.mode === "avg-pool") {
      var n = taps.filter(function (t) { return !G[t[0]][t[1]].pad || st.count_include_pad; }).length;
      return head + "(" + vals.map(term).join(" + ") + ") / " + n + " = " + fmt(v, true);
    }
    return head + taps.map(function (t, n) { return term(vals[n]) + "\u00b7" + term(res.kapp[t[2]][t[3]]); }).join(" + ") + " = " + fmt(v);
  }

  function sizeFormula(st, res) {
    var names = ["height", "width"], lines = [];
    for (var ax = 0; ax < 2; ax++) {
      var i = st.input[ax], k = st.kernel[ax], s = st.stride[ax], d = st.mode === "avg-pool" ? 1 : st.dilation[ax], line;
      if (st.mode === "transpose") {
        var p = st.padding[ax], a = st.output_padding[ax];
        line = "o = s\u00b7(i\u22121) \u2212 2p + d\u00b7(k\u22121) + a + 1 = " + s + "\u00b7(" + i + "\u22121) \u2212 2\u00b7" + p +
          " + " + d + "\u00b7(" + k + "\u22121) + " + a + " + 1";
      } else if (isPool(st.mode)) {
        var q = st.padding[ax], r = st.ceil_mode ? "ceil" : "floor";
        line = "o = " + r + "((i + 2p \u2212 d\u00b7(k\u22121) \u2212 1) / s) + 1 = " + r + "((" + i + " + 2\u00b7" + q + " \u2212 " + d +
          "\u00b7(" + k + "\u22121) \u2212 1) / " + s + ") + 1";
        if (st.ceil_mode && (ceilDiv(i + 2 * q - d * (k - 1) - 1, s)) * s >= i + q) line += " \u2212 1 (a last window starting in the right padding is dropped)";
      } else {
        var pb = res ? res.pads[ax] : [0, 0];
        line = "o = \u230a(i + p_before + p_after \u2212 d\u00b7(k\u22121) \u2212 1) / s\u230b + 1 = \u230a(" + i + " + " + pb[0] + " + " + pb[1] +
          " \u2212 " + d + "\u00b7(" + k + "\u22121) \u2212 1) / " + s + "\u230b + 1";
        if (typeof st.padding === "string") line += " (padding='" + st.padding + "')";
      }
      lines.push(names[ax] + ": " + line + (res ? " = " + res.size[ax] : ""));
    }
    return lines;
  }

  // ------------------------------------------------------------- the code
  function code(st, res) {
    var m = st.mode, x = pyList(st.x), torch, scipy = null, cli;
    var T = ["import torch", "import torch.nn.functional as F", "",
      "x = torch.tensor(" + x + ", dtype=torch.float64)[None, None]"];
    var opt = function (name, val) { return name + "=" + (typeof val === "string" ? "'" + val + "'" : repr(val)); };
    if (m === "correlate" || m === "convolve") {
      T.push("w = torch.tensor(" + pyList(st.w) + ", dtype=torch.float64)[None, None]");
      var wexpr = m === "convolve" ? "w.flip(-2, -1)" : "w", pads = resolvePads(st), args;
      if (st.padding_mode !== "zeros") {
        T.push("x = F.pad(x, (" + [pads[1][0], pads[1][1], pads[0][0], pads[0][1]].join(", ") + "), mode='" + st.padding_mode + "')");
        args = [opt("stride", st.stride), opt("dilation", st.dilation)];
      } else {
        var pv = st.padding === "full" ? [pads[0][0], pads[1][0]] : st.padding;
        args = [opt("stride", st.stride), opt("padding", pv), opt("dilation", st.dilation)];
        if (st.padding === "full") T.push("# padding='full' is d*(k-1) on each side: " + repr(pv));
      }
      T.push("y = F.conv2d(x, " + wexpr + ", " + args.join(", ") + ")");
      if (m === "convolve") {
        var S = ["import numpy as np", "from scipy import signal", "", "x = np.array(" + x + ", dtype=float)",
          "w = np.array(" + pyList(st.w) + ", dtype=float)"];
        if (!(st.dilation[0] === 1 && st.dilation[1] === 1)) {
          S.push("wd = np.zeros((" + (st.dilation[0] * (st.kernel[0] - 1) + 1) + ", " + (st.dilation[1] * (st.kernel[1] - 1) + 1) + "))",
            "wd[::" + st.dilation[0] + ", ::" + st.dilation[1] + "] = w  # dilation: zeros between the taps", "w = wd");
        }
        if (pads[0][0] || pads[0][1] || pads[1][0] || pads[1][1]) {
          S.push("x = np.pad(x, ((" + pads[0].join(", ") + "), (" + pads[1].join(", ") + ")), mode='" + NP_PAD[st.padding_mode] + "')");
        }
        S.push("y = signal.convolve2d(x, w, mode='valid')" + (eq(st.stride) && st.stride[0] === 1 ? "" : "[::" + st.stride[0] + ", ::" + st.stride[1] + "]"), "print(y)");
        scipy = S.join("\n");
      }
    } else if (m === "transpose") {
      T.push("w = torch.tensor(" + pyList(st.w) + ", dtype=torch.float64)[None, None]");
      T.push("y = F.conv_transpose2d(x, w, " + [opt("stride", st.stride), opt("padding", st.padding),
        opt("output_padding", st.output_padding), opt("dilation", st.dilation)].join(", ") + ")");
    } else if (m === "max-pool") {
      T.push("y = F.max_pool2d(x, " + ["kernel_size=" + tuple(st.kernel), opt("stride", st.stride), opt("padding", st.padding),
        opt("dilation", st.dilation), "ceil_mode=" + (st.ceil_mode ? "True" : "False")].join(", ") + ")");
    } else {
      T.push("y = F.avg_pool2d(x, " + ["kernel_size=" + tuple(st.kernel), opt("stride", st.stride), opt("padding", st.padding),
        "ceil_mode=" + (st.ceil_mode ? "True" : "False"), "count_include_pad=" + (st.count_include_pad ? "True" : "False")].join(", ") + ")");
    }
    T.push("print(y[0, 0])");
    // The renderer's drawing limits (conv_explained.render, read at build time): cells per
    // input axis; cells per padded axis (for transpose: its uncropped sum of stamps); steps,
    // one per output cell (for transpose: one stamp per input cell).
    var why = null, D = L.draw, ext = res.grid.length ? [res.grid.length, res.grid[0].length] : [0, 0];
    var steps = m === "transpose" ? st.input[0] * st.input[1] : res.size[0] * res.size[1];
    if (m === "transpose") ext = [0, 1].map(function (ax) {
      return st.stride[ax] * (st.input[ax] - 1) + st.dilation[ax] * (st.kernel[ax] - 1) + 1 + Math.max(0, st.output_padding[ax] - st.padding[ax]);
    });
    if (st.input[0] > D.cells || st.input[1] > D.cells) why = "inputs of at most " + D.cells + "\u00d7" + D.cells + " cells";
    else if (ext[0] > D.padded || ext[1] > D.padded) why = (m === "transpose" ? "an uncropped output" : "a padded input") + " of at most " + D.padded + " cells per axis";
    else if (steps > D.steps) why = "at most " + D.steps + " steps (frames)";
    else if (m === "avg-pool" && !st.count_include_pad) why = "average pooling with count_include_pad=True only (it has no option for False)";
    if (why) {
      cli = "# Not expressible with the CLI: `conv-explained animate` draws " + why + ".\n# Its size arithmetic for this layer:\n" +
        "conv-explained shape " + (m === "transpose" ? "transpose" : isPool(m) ? "pool" : "conv") + " --input " + hw(st.input) +
        " --kernel " + hw(st.kernel) + " --stride " + hw(st.stride) + " --padding " + (typeof st.padding === "string" ? st.padding : hw(st.padding)) +
        (m === "avg-pool" ? "" : " --dilation " + hw(st.dilation)) + (m === "transpose" ? " --output-padding " + hw(st.output_padding) : "") +
        (isPool(m) && st.ceil_mode ? " --ceil-mode" : "");
    } else {
      var save = "np.save('x.npy', np.array(" + x + "))" + (isPool(m) ? "" : "; np.save('w.npy', np.array(" + pyList(st.w) + "))");
      var c = ["conv-explained animate " + m, "--values-from x.npy"];
      if (isPool(m)) c.push("--kernel " + st.kernel.join("x")); else c.push("--kernel-from w.npy");
      c.push("--stride " + hw(st.stride), "--padding " + (typeof st.padding === "string" ? st.padding : hw(st.padding)));
      if (m !== "avg-pool") c.push("--dilation " + hw(st.dilation));
      if (m === "transpose") c.push("--output-padding " + hw(st.output_padding));
      if ((m === "correlate" || m === "convolve") && st.padding_mode !== "zeros") c.push("--padding-mode " + st.padding_mode);
      if (isPool(m) && st.ceil_mode) c.push("--ceil-mode");
      c.push("--out explorer.gif");
      cli = "python -c \"import numpy as np; " + save + "\"\n" + c.join(" ");
    }
    return {torch: T.join("\n"), scipy: scipy, cli: cli};
  }

  // -------------------------------------------------------------- the view
  function view(id) { return '<form class="cx-controls" novalidate>' +
    '<label>Mode <select name="mode">' + MODES.map(function (m) { return "<option>" + m + "</option>"; }).join("") + "</select></label>" +
    '<label>Preset <select name="preset"><option value="">(custom values)</option></select></label>' +
    '<fieldset><legend>Sizes (height \u00d7 width)</legend>' +
    ["input", "kernel", "stride", "dilation", "padding", "output_padding"].map(function (k) {
      var lim = LIMITS[k];
      return '<span class="cx-pair" data-for="' + k + '">' + k.replace("_", " ") + " " +
        ["height", "width"].map(function (a, ax) {
          return '<input type="number" name="' + k + ax + '" min="' + lim[0] + '" max="' + lim[1] + '" aria-label="' + k.replace("_", " ") + " " + a + '">';
        }).join("\u00d7") + "</span>";
    }).join("") +
    '<label data-for="padword">padding rule <select name="padword"><option value="">numbers</option><option>valid</option><option>same</option><option>full</option></select></label>' +
    "</fieldset><fieldset><legend>Options</legend>" +
    '<label data-for="padding_mode">padding_mode <select name="padding_mode">' + PMODES.map(function (m) { return "<option>" + m + "</option>"; }).join("") + "</select></label>" +
    '<label data-for="ceil_mode"><input type="checkbox" name="ceil_mode"> ceil_mode</label>' +
    '<label data-for="count_include_pad"><input type="checkbox" name="count_include_pad"> count_include_pad</label>' +
    '<label>seed <input type="number" name="seed" min="0" max="' + L.seed + '"></label> <button type="button" name="reseed">New random values</button>' +
    "</fieldset></form>" +
    '<div class="cx-alert" role="alert"></div>' +
    '<p class="cx-size"></p>' +
    '<div class="cx-grids"></div>' +
    '<div class="cx-steps"><button type="button" name="play" id="' + id + '-play" aria-pressed="false">Play</button>' +
    '<label>step <input type="range" name="step" min="0" max="0" value="0"></label> <output class="cx-stepout"></output>' +
    '<label>speed <select name="speed">' + SPEEDS.map(function (s) { return "<option" + (s === 1 ? " selected" : "") + ' value="' + s + '">' + s + "\u00d7</option>"; }).join("") + "</select></label></div>" +
    '<p class="cx-formula" aria-live="polite"></p>' +
    '<details class="cx-code" open><summary>Code for this state</summary><div class="cx-codes"></div></details>';
  }

  function Explorer(root, config, presets) {
    this.root = root; this.presets = presets; this.urlState = root.getAttribute("data-url-state") === "true";
    this.id = "cx" + (++uid);
    root.innerHTML = view(this.id);
    this.form = root.querySelector("form");
    if (this.urlState) this.skipLink();
    var sel = this.form.elements.preset;
    Object.keys(presets).forEach(function (k) { sel.appendChild(el("option", {value: k}, presets[k].title)); });
    this.active = [0, 0]; this.step = -1; this.timer = null;
    var st, self = this;
    try {
      // A page address with a state replaces the page's own start state.
      st = fromParams(this.urlState && location.search.length > 1 ? location.search : config, presets);
      this.parseError = null;
    } catch (e) { this.parseError = e.message; st = defaults(); }
    this.set(st, false);
    this.form.addEventListener("change", function (ev) { self.onControl(ev.target); });
    this.form.elements.reseed.addEventListener("click", function () {
      var s = self.state; s.seed = (s.seed * 48271 + 11) % 999983; s.x = null; s.w = null; self.set(s, true);
    });
    root.querySelector("[name=play]").addEventListener("click", function () { self.toggle(); });
    root.querySelector("[name=step]").addEventListener("input", function (ev) { self.stop(); self.goStep(+ev.target.value); });
    var grids = root.querySelector(".cx-grids");
    grids.addEventListener("focusin", function (ev) { self.onFocus(ev.target); });
    grids.addEventListener("mouseover", function (ev) { if (ev.target.tagName === "TD") self.onFocus(ev.target); });
    grids.addEventListener("keydown", function (ev) { self.onKey(ev); });
    grids.addEventListener("focusout", function (ev) { if (ev.target.isContentEditable) self.onEdit(ev.target); });
    if (this.urlState) window.addEventListener("popstate", function () { self.reload(); });
  }

  /* The page's first Tab stop (before the theme's header): a link that moves the focus to Play. */
  Explorer.prototype.skipLink = function () {
    var play = this.root.querySelector("[name=play]");
    var link = el("a", {"class": "cx-skip", href: "#" + play.id}, "Skip to the explorer's Play button");
    var form = this.form;
    link.addEventListener("click", function (ev) {
      ev.preventDefault();
      var target = play.disabled ? form.elements.mode : play;  // a refused state has no Play: its form instead
      target.focus({preventScroll: true});
      target.scrollIntoView({block: "center"});  // with the grids above it in view, not at the screen's edge
    });
    document.body.insertBefore(link, document.body.firstChild);
  };

  Explorer.prototype.reload = function () {
    try { var st = fromParams(location.search, this.presets); this.parseError = null; this.set(st, false); }
    catch (e) { this.parseError = e.message; this.set(this.state, false); }
  };

  Explorer.prototype.set = function (st, push) {
    // A size out of range is never filled: the grids keep their last drawable size.
    if (!sizeMsg(st)) {
      if (!st.x || st.x.length !== st.input[0] || st.x[0].length !== st.input[1]) st.x = resized(st.x, st.input[0], st.input[1], fillX(st));
      if (!isPool(st.mode) && (!st.w || st.w.length !== st.kernel[0] || st.w[0].length !== st.kernel[1])) st.w = resized(st.w, st.kernel[0], st.kernel[1], fillW(st));
    }
    this.state = st;
    if (push && this.urlState && !this.parseError && history.replaceState) { try { history.replaceState(null, "", toQuery(st)); } catch (e) { /* file:// in some browsers */ } }
    this.syncControls();
    this.render();
  };

  Explorer.prototype.syncControls = function () {
    var st = this.state, f = this.form.elements, mode = st.mode;
    f.mode.value = mode;
    ["input", "kernel", "stride", "dilation", "output_padding"].forEach(function (k) { f[k + "0"].value = st[k][0]; f[k + "1"].value = st[k][1]; });
    var word = typeof st.padding === "string";
    f.padword.value = word ? st.padding : "";
    f.padding0.value = word ? "" : st.padding[0]; f.padding1.value = word ? "" : st.padding[1];
    f.padding0.disabled = f.padding1.disabled = word;
    f.padding_mode.value = st.padding_mode; f.ceil_mode.checked = st.ceil_mode; f.count_include_pad.checked = st.count_include_pad;
    f.seed.value = st.seed;
    f.preset.value = this.parseError ? "" : presetOf(st, this.presets);
    var show = {padding_mode: mode === "correlate" || mode === "convolve", padword: mode === "correlate" || mode === "convolve",
      output_padding: mode === "transpose", ceil_mode: isPool(mode), count_include_pad: mode === "avg-pool", dilation: mode !== "avg-pool"};
    for (var k in show) this.form.querySelector('[data-for="' + k + '"]').hidden = !show[k];
  };

  Explorer.prototype.onControl = function (t) {
    var st = this.state, f = this.form.elements, name = t.name;
    if (name === "preset") {
      if (own(this.presets, t.value)) {
        this.parseError = null;
        var chosen = applyPreset(st, this.presets[t.value]);
        chosen.preset = t.value;
        this.set(chosen, true);
      } else this.syncControls();  // "(custom values)" chosen: nothing changes, the loaded preset stays named
      return;
    }
    if (name === "speed") { if (this.timer) { this.stop(); this.toggle(); } return; }
    if (!name || name === "step") return;
    // A field that is empty or not a whole number keeps its value (the browser's number field
    // gives "" for text); 1e5 is read as 100000, not as 1.
    var num = function (k) { var v = f[k].value.trim(); return v.length <= L.value && /^-?\d+(\.0*)?(e\+?\d+)?$/i.test(v) ? Number(v) : NaN; };
    var prevPool = isPool(st.mode);
    st.mode = MODES.indexOf(f.mode.value) < 0 ? st.mode : f.mode.value;
    ["input", "kernel", "stride", "dilation", "output_padding"].forEach(function (k) {
      var a = num(k + "0"), b = num(k + "1");
      if (Number.isInteger(a) && Number.isInteger(b)) st[k] = [a, b];
    });
    if (f.padword.value) st.padding = f.padword.value;
    else { var p0 = num("padding0"), p1 = num("padding1"); st.padding = [Number.isInteger(p0) ? p0 : 0, Number.isInteger(p1) ? p1 : 0]; }
    if ((st.mode === "transpose" || isPool(st.mode)) && typeof st.padding === "string") st.padding = [0, 0];
    if (isPool(st.mode) && !prevPool) st.stride = st.kernel.slice();
    st.padding_mode = f.padding_mode.value; st.ceil_mode = f.ceil_mode.checked; st.count_include_pad = f.count_include_pad.checked;
    var seed = num("seed");
    if (Number.isInteger(seed) && seed >= 0 && seed <= L.seed && seed !== st.seed) { st.seed = seed; st.x = null; st.w = null; }
    this.parseError = null;
    this.set(st, true);
  };

  Explorer.prototype.render = function () {
    var st = this.state, root = this.root, alert = root.querySelector(".cx-alert"), grids = root.querySelector(".cx-grids");
    var message = this.parseError || validate(st), drawn = !this.parseError && !sizeMsg(st);
    this.res = null;
    var res = message ? null : compute(st);
    alert.textContent = clip(message || "", L.alert);
    alert.hidden = !message;
    root.querySelector(".cx-size").textContent = drawn ? "Output size \u2014 " + clip(sizeFormula(st, res).join("; "), 2 * L.alert) : "";
    var figures = [], html;
    var table = function (name, caption, rows, cls) {
      html = [];
      figures.push(html);
      html.push('<figure class="cx-grid"><table data-grid="' + name + '"><caption>' + caption + "</caption><tbody>");
      rows.forEach(function (row, r) {
        html.push("<tr>");
        row.forEach(function (cell, c) { html.push(cls(cell, r, c)); });
        html.push("</tr>");
      });
      html.push("</tbody></table></figure>");
    };
    var inputCell = function (cell, r, c) {
      return '<td contenteditable="true" inputmode="decimal" data-r="' + r + '" data-c="' + c + '" data-i="' + r + '" data-j="' + c +
        '" aria-label="x[' + r + ", " + c + ']" data-was="' + cellText(cell) + '">' + cellText(cell) + "</td>";
    };
    if (!drawn) { /* nothing of the requested size is drawn */ } else if (res && st.mode !== "transpose") {
      table("input", "input x (" + st.input.join("\u00d7") + "), padding hatched", res.grid, function (cell, r, c) {
        if (cell.pad) return '<td class="cx-pad" data-r="' + r + '" data-c="' + c + '" title="padding">' + fmt(cell.v) + "</td>";
        return inputCell(cell.v, r, c).replace(/data-i="\d+" data-j="\d+"/, 'data-i="' + cell.src[0] + '" data-j="' + cell.src[1] + '"')
          .replace(/aria-label="[^"]*"/, 'aria-label="x[' + cell.src[0] + ", " + cell.src[1] + ']"');
      });
    } else {
      table("input", "input x (" + st.input.join("\u00d7") + ")", st.x, function (v, r, c) { return inputCell(v, r, c); });
    }
    if (drawn && !isPool(st.mode)) {
      table("kernel", "kernel w (" + st.kernel.join("\u00d7") + "), as given", st.w, function (v, r, c) {
        return '<td contenteditable="true" inputmode="decimal" data-k="1" data-r="' + r + '" data-c="' + c + '" aria-label="w[' + r + ", " + c +
          ']" data-was="' + cellText(v) + '">' + cellText(v) + "</td>";
      });
      if (res && st.mode !== "correlate") {
        table("kernel-applied", "kernel as applied (flipped)", res.kapp, function (v, r, c) { return '<td data-u="' + r + '" data-v="' + c + '">' + fmt(v) + "</td>"; });
      }
    }
    if (res && st.mode === "transpose") {
      table("direct", "zero-inserted, padded input (direct view)", res.grid, function (cell, r, c) {
        var cls = cell.pad ? "cx-pad" : cell.zero ? "cx-zero" : "";
        return '<td class="' + cls + '" data-r="' + r + '" data-c="' + c + '">' + fmt(cell.v) + "</td>";
      });
    }
    if (res) {
      var avg = st.mode === "avg-pool";
      table("output", "output (" + res.size.join("\u00d7") + ")", res.out, function (v, r, c) {
        return '<td tabindex="-1" data-o="1" data-r="' + r + '" data-c="' + c + '" aria-label="output[' + r + ", " + c + "] = " + fmt(v, avg) + '">' + fmt(v, avg) + "</td>";
      });
    }
    // Only the tables whose text changed are rebuilt: less to lay out.
    figures = figures.map(function (f) { return f.join(""); });
    var last = this.figures || [];
    if (last.length !== figures.length || grids.children.length !== figures.length) grids.innerHTML = figures.join("");
    else for (var n = 0; n < figures.length; n++) if (figures[n] !== last[n]) grids.children[n].outerHTML = figures[n];
    this.figures = figures;
    this.res = res;
    var codes = root.querySelector(".cx-codes");
    codes.innerHTML = "";
    if (res) {
      var c = code(st, res);
      [["torch", "PyTorch (torch.nn.functional)", c.torch], ["scipy", "SciPy (true convolution)", c.scipy], ["cli", "Verified GIF with the command line", c.cli]]
        .forEach(function (item) {
          if (!item[2]) return;
          var box = el("div", {"class": "cx-snippet", "data-code": item[0]});
          box.appendChild(el("p", null, item[1]));
          var pre = el("pre"); pre.appendChild(el("code", null, item[2])); box.appendChild(pre);
          var btn = el("button", {type: "button"}, "Copy");
          btn.addEventListener("click", function () { copy(item[2], btn); });
          box.appendChild(btn);
          codes.appendChild(box);
        });
    } else {
      codes.appendChild(el("p", null, "No code: this state is refused (see the message above)."));
    }
    var range = root.querySelector("[name=step]"), n = res ? res.size[0] * res.size[1] : 0;
    range.max = Math.max(n - 1, 0); range.disabled = !res;
    root.querySelector("[name=play]").disabled = !res;
    this.stop();
    this.step = -1;
    if (res) {
      this.active = [Math.min(this.active[0], res.size[0] - 1), Math.min(this.active[1], res.size[1] - 1)];
      range.value = this.active[0] * res.size[1] + this.active[1];
      var first = grids.querySelector('[data-grid="output"] td[data-r="' + this.active[0] + '"][data-c="' + this.active[1] + '"]');
      if (first) first.tabIndex = 0;
      this.highlight(this.active[0], this.active[1], false);
    } else {
      root.querySelector(".cx-formula").textContent = "";
      root.querySelector(".cx-stepout").textContent = "";
    }
    var link = root.querySelector(".cx-open");
    if (!this.urlState) {
      if (!link) { link = el("a", {"class": "cx-open"}, "Open this state in the explorer"); root.appendChild(link); }
      link.href = (root.getAttribute("data-explorer") || "explorer.html") + toQuery(st);
    }
  };

  function copy(text, btn) {
    var done = function () { btn.textContent = "Copied"; setTimeout(function () { btn.textContent = "Copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, function () { fallback(); }); return; }
    fallback();
    function fallback() {
      var area = el("textarea", {"aria-hidden": "true"}); area.value = text; area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area); area.select();
      try { document.execCommand("copy"); done(); } catch (e) { btn.textContent = "Select and copy by hand"; }
      document.body.removeChild(area);
    }
  }

  Explorer.prototype.clear = function () {
    var marked = this.root.querySelectorAll(".cx-hl, .cx-cur, .cx-pending, .cx-feeds");
    for (var n = 0; n < marked.length; n++) marked[n].classList.remove("cx-hl", "cx-cur", "cx-pending", "cx-feeds");
  };

  /* Output (i, j): its window lit in the grid it slides over, the formula spoken. */
  Explorer.prototype.highlight = function (i, j, stepping) {
    var res = this.res, st = this.state, root = this.root;
    if (!res) return;
    this.clear();
    this.active = [i, j];
    var gname = st.mode === "transpose" ? "direct" : "input";
    var g = root.querySelector('[data-grid="' + gname + '"]'), out = root.querySelector('[data-grid="output"]');
    res.taps[i][j].forEach(function (t) {
      var cell = g.querySelector('td[data-r="' + t[0] + '"][data-c="' + t[1] + '"]');
      if (cell) cell.classList.add("cx-hl");
      var kc = root.querySelector('[data-grid="' + (st.mode === "correlate" ? "kernel" : "kernel-applied") + '"] td[data-' +
        (st.mode === "correlate" ? 'r="' : 'u="') + t[2] + '"][data-' + (st.mode === "correlate" ? 'c="' : 'v="') + t[3] + '"]');
      if (kc) kc.classList.add("cx-hl");
    });
    var w = res.size[1], k = i * w + j;
    var cells = out.querySelectorAll("td");
    for (var n = 0; n < cells.length; n++) {
      if (stepping && n > k) cells[n].classList.add("cx-pending");
      cells[n].tabIndex = n === k ? 0 : -1;
    }
    cells[k].classList.add("cx-cur");
    root.querySelector(".cx-formula").textContent = formula(st, res, i, j);
    root.querySelector(".cx-stepout").textContent = "step " + (k + 1) + " of " + cells.length;
    root.querySelector("[name=step]").value = k;
  };

  /* Input cell (r, c): every output it feeds (for transpose: its stamp). */
  Explorer.prototype.feeds = function (r, c) {
    var res = this.res, root = this.root, st = this.state;
    if (!res) return;
    this.clear();
    var out = root.querySelector('[data-grid="output"]'), n = 0, terms = [];
    for (var i = 0; i < res.size[0]; i++) for (var j = 0; j < res.size[1]; j++) {
      var hit = res.taps[i][j].filter(function (t) { var s = res.grid[t[0]][t[1]].src; return s && s[0] === r && s[1] === c; });
      if (hit.length) {
        n++;
        out.querySelector('td[data-r="' + i + '"][data-c="' + j + '"]').classList.add("cx-feeds");
        if (st.mode === "transpose") terms.push("output[" + i + ", " + j + "] += " + term(st.x[r][c]) + "\u00b7" + term(res.kapp[hit[0][2]][hit[0][3]]));
      }
    }
    var text = "x[" + r + ", " + c + "] = " + fmt(st.x[r][c]) + " feeds " + n + " output" + (n === 1 ? "" : "s");
    if (st.mode === "transpose") text = "x[" + r + ", " + c + "] = " + fmt(st.x[r][c]) + " stamps " + fmt(st.x[r][c]) + "\u00b7w into the output: " + (terms.join(", ") || "nothing (cropped by the padding)");
    root.querySelector(".cx-formula").textContent = text;
  };

  Explorer.prototype.onFocus = function (t) {
    if (!t || t.tagName !== "TD") return;
    var r = +t.getAttribute("data-r"), c = +t.getAttribute("data-c");
    if (t.hasAttribute("data-o")) { this.stop(); this.highlight(r, c, false); } else if (t.hasAttribute("data-i")) this.feeds(+t.getAttribute("data-i"), +t.getAttribute("data-j"));
  };

  Explorer.prototype.onKey = function (ev) {
    var t = ev.target;
    if (t.isContentEditable && ev.key === "Enter") { ev.preventDefault(); t.blur(); return; }
    if (t.isContentEditable && ev.key === "Escape") { t.textContent = t.getAttribute("data-was") || t.textContent; t.blur(); return; }
    if (!t.hasAttribute || !t.hasAttribute("data-o") || !this.res) return;
    var d = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]}[ev.key];
    var i = this.active[0], j = this.active[1];
    if (ev.key === "Home") { i = 0; j = 0; } else if (ev.key === "End") { i = this.res.size[0] - 1; j = this.res.size[1] - 1; } else if (!d) return;
    else { i = Math.max(0, Math.min(this.res.size[0] - 1, i + d[0])); j = Math.max(0, Math.min(this.res.size[1] - 1, j + d[1])); }
    ev.preventDefault();
    var next = this.root.querySelector('[data-grid="output"] td[data-r="' + i + '"][data-c="' + j + '"]');
    if (next) next.focus();
  };

  Explorer.prototype.onEdit = function (t) {
    var text = t.textContent.trim().replace(NBSP_MINUS, "-"), v = parseFloat(text), st = this.state;
    if (text === t.getAttribute("data-was")) return;  // unchanged (it may show a rounded value)
    var r = +t.getAttribute("data-i"), c = +t.getAttribute("data-j"), isK = t.hasAttribute("data-k");
    if (isK) { r = +t.getAttribute("data-r"); c = +t.getAttribute("data-c"); }
    var target = isK ? st.w : st.x;
    if (text.length > L.number || !NUMBER.test(text) || !isFinite(v)) { t.textContent = cellText(target[r][c]); return; }
    if (v === target[r][c]) return;
    target[r][c] = v;
    this.set(st, true);
  };

  Explorer.prototype.goStep = function (k) {
    if (!this.res) return;
    var w = this.res.size[1];
    this.step = k;
    this.highlight(Math.floor(k / w), k % w, true);
  };
  Explorer.prototype.toggle = function () {
    var btn = this.root.querySelector("[name=play]"), self = this;
    if (this.timer) { this.stop(); return; }
    if (!this.res) return;
    var n = this.res.size[0] * this.res.size[1];
    var speed = +this.root.querySelector("[name=speed]").value || 1;
    if (this.step < 0 || this.step >= n - 1) this.step = -1;
    btn.textContent = "Pause"; btn.setAttribute("aria-pressed", "true");
    this.timer = setInterval(function () {
      if (self.step >= n - 1) { self.stop(); self.highlight(self.active[0], self.active[1], false); return; }
      self.goStep(self.step + 1);
    }, 800 / speed);
  };
  Explorer.prototype.stop = function () {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    var btn = this.root.querySelector("[name=play]");
    btn.textContent = "Play"; btn.setAttribute("aria-pressed", "false");
  };

  // ----------------------------------------------------------------- start
  function start() {
    var data = document.querySelector("script[data-conv-explorer-presets]"), presets = {};
    if (data) { try { presets = JSON.parse(data.textContent); } catch (e) { presets = {}; } }
    var roots = document.querySelectorAll(".conv-explorer"), list = [];
    for (var n = 0; n < roots.length; n++) {
      try { L = JSON.parse(roots[n].getAttribute("data-limits")); LIMITS = L.ranges; } catch (e) { L = null; }
      if (!L || !LIMITS) { roots[n].textContent = "The explorer cannot start: this page lacks its limits (data-limits)."; continue; }
      list.push(new Explorer(roots[n], roots[n].getAttribute("data-config") || "", presets));
    }
    window.convExplorer = {instances: list, compute: compute, validate: validate, toQuery: toQuery, fromParams: fromParams, limits: L, version: 2};
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
