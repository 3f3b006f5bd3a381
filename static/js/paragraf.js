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

// Jäv: choosing the jävig ledamot (and the ersättare) fills "Lydelse i protokollet" with the standard sentence,
// unless the secretary has written their own.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-wording-target], select[data-wording-substitute]");
  if (!select) return;
  const form = select.form;
  const person = form.querySelector("select[data-wording-target]");
  const textarea = form.querySelector(`[name="${person.dataset.wordingTarget}"]`);
  if (!textarea || (textarea.value.trim() && textarea.value !== textarea.dataset.autoWording)) return;
  const chosen = person.selectedOptions[0];
  let sentence = chosen && chosen.dataset.wording ? chosen.dataset.wording : "";
  const substitute = form.querySelector("select[data-wording-substitute]");
  const stand_in = substitute && substitute.value ? substitute.selectedOptions[0].textContent.split(",")[0].trim() : "";
  if (sentence && stand_in) sentence += ` ${stand_in} tjänstgör i stället i paragrafen.`;
  textarea.value = sentence;
  textarea.dataset.autoWording = sentence;
});
