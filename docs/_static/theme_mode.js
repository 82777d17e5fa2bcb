/* The theme's light/dark mode before the page is drawn (pydata-sphinx-theme's inline
 * script, moved into a file so that the site works under Content-Security-Policy
 * default-src 'self'). The default mode is the script element's data-default-mode. */
(function () {
  var fallback = document.currentScript ? document.currentScript.getAttribute("data-default-mode") || "" : "";
  document.documentElement.dataset.mode = localStorage.getItem("mode") || fallback;
  document.documentElement.dataset.theme = localStorage.getItem("theme") || fallback;
})();
