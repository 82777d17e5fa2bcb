/* conv_explained explorer on paper: a static summary of each explorer's
 * current state (the output-size formula with its numbers, the input, kernel
 * and output as plain tables, and the permalink of the state), shown by the
 * print stylesheet instead of the live form. A classic script, separate from
 * explorer.js: it only reads what explorer.js has drawn (its tables' text, so
 * the numbers are formatted exactly as on screen) and window.convExplorer
 * (toQuery). It rebuilds the summary whenever the explorer redraws (a
 * MutationObserver) and once more at `beforeprint`. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* A plain copy of one of the explorer's grids: its caption and cell text. */
  function copyGrid(table) {
    var figure = el("figure", {"class": "cx-print-grid"});
    var caption = table.querySelector("caption");
    if (caption) figure.appendChild(el("figcaption", null, caption.textContent));
    var out = el("table", {"data-print-grid": table.getAttribute("data-grid")});
    figure.appendChild(out);
    var body = el("tbody");
    var rows = table.querySelectorAll("tr");
    for (var r = 0; r < rows.length; r++) {
      var tr = el("tr");
      var cells = rows[r].querySelectorAll("td");
      for (var c = 0; c < cells.length; c++) {
        tr.appendChild(el("td", cells[c].classList.contains("cx-pad") ? {"class": "cx-print-pad"} : null,
          cells[c].textContent));
      }
      body.appendChild(tr);
    }
    out.appendChild(body);
    return figure;
  }

  /* The address that reopens this state in the explorer. */
  function permalink(root, instance) {
    var api = window.convExplorer;
    if (!api || !api.toQuery || !instance || !instance.state) return null;
    var page = root.getAttribute("data-url-state") === "true" ? location.pathname.split("/").pop()
      : (root.getAttribute("data-explorer") || "explorer.html");
    var relative = page + api.toQuery(instance.state);
    return {relative: relative, absolute: new URL(relative, location.href).href};
  }

  function summary(root, instance) {
    var box = el("div", {"class": "cx-print", "hidden": ""});
    box.appendChild(el("p", {"class": "cx-print-title"},
      "The explorer's state when printed" + (instance && instance.state ? " (" + instance.state.mode + ")" : "") + ":"));
    var alert = root.querySelector(".cx-alert");
    if (alert && !alert.hidden && alert.textContent) box.appendChild(el("p", {"class": "cx-print-alert"}, alert.textContent));
    var size = root.querySelector(".cx-size");
    if (size && size.textContent) box.appendChild(el("p", {"class": "cx-print-size"}, size.textContent));
    var grids = root.querySelectorAll(".cx-grids table[data-grid]");
    var tables = el("div", {"class": "cx-print-grids"});
    for (var n = 0; n < grids.length; n++) tables.appendChild(copyGrid(grids[n]));
    box.appendChild(tables);
    var link = permalink(root, instance);
    if (link) {
      var p = el("p", {"class": "cx-print-link"}, "Open this state: ");
      p.appendChild(el("a", {href: link.absolute}, link.relative));
      box.appendChild(p);
    }
    return box;
  }

  function refresh(root, instance) {
    var old = root.querySelector(":scope > .cx-print");
    var box = summary(root, instance);
    if (old && old.innerHTML === box.innerHTML) return;
    if (old) root.replaceChild(box, old); else root.appendChild(box);
  }

  function start() {
    var api = window.convExplorer;
    var instances = api && api.instances ? api.instances : [];
    var roots = document.querySelectorAll(".conv-explorer");
    var all = [];
    for (var n = 0; n < roots.length; n++) {
      var instance = null;
      for (var m = 0; m < instances.length; m++) if (instances[m].root === roots[n]) instance = instances[m];
      all.push([roots[n], instance]);
    }
    all.forEach(function (pair) {
      var root = pair[0], instance = pair[1], pending = false;
      refresh(root, instance);
      // Redraws of the grids or the size line (the print block itself is skipped).
      new MutationObserver(function (records) {
        var relevant = records.some(function (rec) {
          var node = rec.target.nodeType === 1 ? rec.target : rec.target.parentNode;
          return node && !(node.closest && node.closest(".cx-print"));
        });
        if (!relevant || pending) return;
        pending = true;
        setTimeout(function () { pending = false; refresh(root, instance); }, 0);
      }).observe(root, {childList: true, subtree: true, characterData: true});
    });
    window.addEventListener("beforeprint", function () { all.forEach(function (p) { refresh(p[0], p[1]); }); });
  }
  // After explorer.js (loaded first, on DOMContentLoaded) has drawn the explorers.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setTimeout(start, 0); });
  else setTimeout(start, 0);
})();
