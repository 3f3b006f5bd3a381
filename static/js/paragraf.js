// Site-wide behaviour, loaded as a file so the Content-Security-Policy needs no inline scripts.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
// Auto-submit forms marked data-autosubmit when a field changes (e.g. the organisation switcher).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});
// A table wider than the screen scrolls sideways inside its .table-responsive box: make that box reachable and
// scrollable by keyboard, named by the table's caption (WCAG 2.1.1; axe "scrollable-region-focusable").
function markScrollableTables() {
  for (const box of document.querySelectorAll(".table-responsive")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabell");
      box.dataset.scrollMarked = "1";
    } else if (!scrolls && box.dataset.scrollMarked) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollMarked;
    }
  }
}
document.addEventListener("DOMContentLoaded", () => markScrollableTables());
window.addEventListener("resize", () => markScrollableTables());
document.addEventListener("htmx:afterSettle", () => markScrollableTables());
