/* The search page's inline script of pydata-sphinx-theme, as a file (strict CSP):
 * the search field gets the focus when the page loads. */
(function () {
  var searchInput = document.querySelector("form.bd-search input");
  if (searchInput) {
    searchInput.focus();
    searchInput.select();
    console.log("[PST]: Set focus on search field.");
  }
})();
