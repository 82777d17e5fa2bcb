/* Figures on narrow screens: never shrunk past reading, and open full size with a tap.
 *
 * A figure wider than the text column is scaled down to fit it, which on a phone
 * (390 CSS px) left the digits of a wide numbered figure about 3 px tall. Here a
 * figure is shown at no less than MIN_SCALE of its drawn size: where the column
 * is narrower than that, the figure keeps MIN_SCALE and scrolls sideways in its
 * own box (class ce-scroll, which the reader can also scroll with the keyboard:
 * it takes focus). Each figure's image is a link to the file itself, drawn at
 * full size (for an animation, its GIF), so a tap opens it to zoom.
 *
 * The drawn size is the image's natural width, or for a player's canvas its
 * data-ce-size. The renderer's numbered figures keep MIN_SCALE at every width;
 * other figures (matplotlib plots) only below NARROW, so that on a desktop a
 * wide plot still fits its column. Without JavaScript figures scale to the
 * column as before.
 * tests/browser/test_phone.py measures the result at 390 px.
 */
(function () {
  "use strict";

  var MIN_SCALE = 0.6;
  var NARROW = 768;  // CSS px: phones and small tablets
  // Article images that are not figures: icons, logos, gallery thumbnails.
  var NOT_FIGURES = ".sphx-glr-thumbcontainer, .sphx-glr-thumbnails, nav, header, footer";

  function markScroll(box, label) {
    if (box.classList.contains("ce-scroll")) return;
    box.classList.add("ce-scroll");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Figure, scrolls sideways: " + label.slice(0, 80));
  }

  function linkFullSize(node, href, label) {
    if (!href || node.closest("a")) return node.closest("a") || node;
    var link = document.createElement("a");
    link.className = "ce-full-size";
    link.href = href;
    link.setAttribute("aria-label", "Open full size: " + label.slice(0, 80));
    node.parentNode.insertBefore(link, node);
    link.appendChild(node);
    return link;
  }

  function tooWide(node, drawnWidth) {
    var article = node.closest("article") || document.body;
    return MIN_SCALE * drawnWidth > article.clientWidth;
  }

  function player(root, img, picture) {
    var canvas = root.querySelector("canvas.ce-canvas");
    var label = img.getAttribute("alt") || "animation";
    var link = linkFullSize(picture || img, root.dataset.ceGif || img.getAttribute("src"), label);
    // The picture and the canvas the player draws frames into share one box.
    var box = document.createElement("div");
    box.className = "ce-figure-box";
    link.parentNode.insertBefore(box, link);
    box.appendChild(link);
    if (canvas) box.appendChild(canvas);
    function fit() {
      // The size shown: a wide figure's narrow rendering on small screens (player.js).
      var width = Number((root.dataset.ceSize || "").split(" ")[0]);
      [img, canvas].forEach(function (node) {
        if (node && width) node.style.minWidth = Math.round(MIN_SCALE * width) + "px";
      });
      if (width && tooWide(box, width)) markScroll(box, label);
      else if (box.classList.contains("ce-scroll")) {
        box.classList.remove("ce-scroll");
        ["tabindex", "role", "aria-label"].forEach(function (a) { box.removeAttribute(a); });
      }
    }
    fit();
    root.addEventListener("ce-relayout", fit);
  }

  function still(img, picture) {
    var label = img.getAttribute("alt") || "figure";
    linkFullSize(picture || img, img.getAttribute("src"), label);
    var width = img.naturalWidth;
    // The renderer's numbered figures keep MIN_SCALE everywhere; other figures (plots)
    // only on a narrow screen, where they would otherwise shrink past reading.
    if (!width || (!img.closest(".ce-picture") && window.innerWidth >= NARROW)) return;
    img.style.minWidth = Math.round(MIN_SCALE * width) + "px";
    if (tooWide(img, width)) {
      markScroll(img.closest("figure, .cell_output, .sphx-glr-single-img, .ce-picture") ||
        img.parentNode, label);
    }
  }

  function start() {
    var article = document.querySelector("article.bd-article") || document.querySelector("article");
    if (!article) return;
    article.querySelectorAll("img").forEach(function (img) {
      if (img.closest(NOT_FIGURES)) return;
      var picture = img.closest("picture");
      var root = img.closest(".ce-player");
      if (root) return player(root, img, picture);
      if (img.complete && img.naturalWidth) still(img, picture);
      else img.addEventListener("load", function () { still(img, picture); }, { once: true });
    });
  }

  // After player.js (deferred too, and listed first), which sets data-ce-gif.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
