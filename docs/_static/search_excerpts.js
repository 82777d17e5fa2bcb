/* Search excerpts from file:// (docs/_ext/search_excerpts.py adds this to the
 * search page). Browsers refuse fetch() on file:// URLs, so Sphinx's search
 * shows titles only there. On file:// alone, this loads the pages' texts
 * (_static/search_texts.js) and answers the search's fetches of site pages
 * from them, as a page whose [role=main] holds the text, section by section.
 * Over HTTP nothing is changed. */
(function () {
  "use strict";
  if (window.location.protocol !== "file:" || !window.fetch) return;
  var here = document.currentScript && document.currentScript.src;
  if (!here) return;
  var textsUrl = new URL("search_texts.js", here).href;
  var root = new URL("..", here).href;  // the site root (this file is in _static/)
  var loaded = new Promise(function (resolve) {
    var script = document.createElement("script");
    script.src = textsUrl;
    script.onload = function () { resolve(window.CE_SEARCH_TEXTS || {}); };
    script.onerror = function () { resolve({}); };
    document.head.appendChild(script);
  });
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url;
    try { url = new URL(typeof input === "string" ? input : input.url, window.location.href); }
    catch (e) { return realFetch(input, init); }
    if (url.protocol !== "file:" || url.href.indexOf(root) !== 0) return realFetch(input, init);
    var key = decodeURIComponent(url.pathname).slice(decodeURIComponent(new URL(root).pathname).length);
    return loaded.then(function (texts) {
      var sections = texts[key];
      if (!sections) return realFetch(input, init);
      var html = '<div role="main">' + sections.map(function (s) {
        return s[0] ? '<section id="' + escapeHtml(s[0]) + '">' + escapeHtml(s[1]) + " </section>"
                    : escapeHtml(s[1]) + " ";
      }).join("") + "</div>";
      return new Response(html, { status: 200, headers: { "Content-Type": "text/html" } });
    });
  };
})();
