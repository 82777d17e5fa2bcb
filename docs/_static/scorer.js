/* Search scoring (html_search_scorer): a page whose own title holds the query
 * ranks above pages that only mention it, glossary entries included.
 * Sphinx's defaults otherwise; the query is the page's ?q= parameter. */
var Scorer = {
  score: function (result) {
    var title = String(result[1] || "").split(" > ")[0].toLowerCase();
    var query = (new URLSearchParams(window.location.search).get("q") || "")
      .toLowerCase().trim();
    var words = query.split(/\s+/).filter(function (w) { return w.length > 1; });
    var kind = result[6];
    var inTitle = words.length > 0 && words.every(function (w) { return title.indexOf(w) !== -1; });
    if (!inTitle || kind === "object") return result[4];
    // A page (not a section of one) whose title names the query comes first;
    // among them a chapter of the guide (a top-level page) before a gallery
    // example or an API page, and a short title before a long one.
    var page = String(result[2] || "") === "";
    var chapter = String(result[0] || "").indexOf("/") === -1;
    var fit = Math.round((20 * query.length) / Math.max(title.length, 1));
    return result[4] + (page ? 100 : 50) + (chapter ? 30 : 0) + fit;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
