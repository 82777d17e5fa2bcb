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
    // A page (not an object or a section) whose title names the query: first.
    if (inTitle && kind !== "object" && String(result[2] || "") === "") return result[4] + 100;
    if (inTitle && kind !== "object") return result[4] + 50;
    return result[4];
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
