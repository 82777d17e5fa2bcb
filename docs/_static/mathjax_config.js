window.MathJax = {"options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}};

/* Under Content-Security-Policy default-src 'self' the <style> elements MathJax writes are
 * blocked: its CSS goes into constructed style sheets instead (CSSOM is not inline style). */
window.MathJax.startup = {
  ready: function () {
    MathJax.startup.defaultReady();
    var adaptor = MathJax.startup.adaptor, node = adaptor.node, insert = adaptor.insertRules;
    if (!adaptor || typeof CSSStyleSheet !== "function" || !("adoptedStyleSheets" in document)) return;
    adaptor.node = function (kind, def, children, ns) {
      if (kind !== "style") return node.apply(this, arguments);
      var sheet = new CSSStyleSheet();
      sheet.replaceSync((children || []).map(function (c) { return c.textContent || ""; }).join(""));
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      var holder = node.call(this, "meta", def || {}, [], ns);  // keeps the id MathJax looks up
      holder.cxSheet = sheet;
      return holder;
    };
    adaptor.insertRules = function (holder, rules) {
      if (!holder.cxSheet) return insert.apply(this, arguments);
      rules.forEach(function (rule) { holder.cxSheet.insertRule(rule, holder.cxSheet.cssRules.length); });
    };
  }
};
