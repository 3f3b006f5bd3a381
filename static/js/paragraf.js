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
