window.MathJax = {"options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}};

/* Under Content-Security-Policy default-src 'self' a <style> element written by a script
 * is an inline style, and blocked. MathJax writes several: each one's CSS goes into a
 * constructed style sheet (CSSOM, which the policy allows), and an empty <meta> with its
 * id stands in the page for it, so that MathJax finds it where it looks. */
(function () {
  if (typeof CSSStyleSheet !== "function" || !("adoptedStyleSheets" in document)) return;
  function holder(style) {
    if (!style.cxHolder) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(style.textContent || "");
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      style.cxSheet = sheet;
      style.cxHolder = document.createElement("meta");
      if (style.id) style.cxHolder.id = style.id;
      style.cxHolder.cxSheet = sheet;
    }
    return style.cxHolder;
  }
  var isStyle = function (node) { return node instanceof HTMLStyleElement; };
  var append = Node.prototype.appendChild, before = Node.prototype.insertBefore, replace = Node.prototype.replaceChild;
  Node.prototype.appendChild = function (child) {
    if (!isStyle(child)) return append.call(this, child);
    append.call(this, holder(child));
    return child;
  };
  Node.prototype.insertBefore = function (child, ref) {
    if (!isStyle(child)) return before.call(this, child, ref);
    before.call(this, holder(child), ref);
    return child;
  };
  Node.prototype.replaceChild = function (child, old) {
    if (!isStyle(child)) return replace.call(this, child, old);
    if (holder(child) !== old) replace.call(this, holder(child), old);
    return old;
  };
  // Rules MathJax adds later (new characters) go into the same constructed sheet.
  window.MathJax.startup = {
    ready: function () {
      MathJax.startup.defaultReady();
      var adaptor = MathJax.startup.adaptor, insert = adaptor.insertRules;
      adaptor.insertRules = function (style, rules) {
        if (!style.cxSheet) return insert.apply(this, arguments);
        rules.forEach(function (rule) { style.cxSheet.insertRule(rule, style.cxSheet.cssRules.length); });
      };
    }
  };
})();
