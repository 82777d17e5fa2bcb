// The theme's sidebar toggles are <summary> elements holding only an icon;
// give each unlabelled one a name for screen readers.
document.addEventListener("DOMContentLoaded", () => {
  for (const summary of document.querySelectorAll("summary")) {
    if (!summary.textContent.trim() && !summary.hasAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Show or hide the sub-pages");
    }
  }
});
