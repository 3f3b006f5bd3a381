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

// Deletes ask first: a form marked data-confirm="Ta bort …?" opens a modal <dialog> (keyboard: Tab between the two
// buttons, Escape cancels). Cancel puts the focus back on the button that asked; confirm sends the form.
// data-confirm-button names the confirming button ("Ta bort" unless given).
(() => {
  let dialog = null;
  let message = null;
  let confirmButton = null;
  let cancelButton = null;
  let pending = null;
  let returnFocus = null;

  const build = () => {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.id = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-message");
    message = document.createElement("p");
    message.id = "confirm-dialog-message";
    message.className = "fw-semibold mb-3";
    const buttons = document.createElement("div");
    buttons.className = "d-flex flex-wrap gap-2 justify-content-end";
    cancelButton = document.createElement("button");
    cancelButton.type = "button";
    cancelButton.className = "btn btn-outline-dark";
    cancelButton.dataset.confirmCancel = "";
    cancelButton.textContent = "Avbryt";
    confirmButton = document.createElement("button");
    confirmButton.type = "button";
    confirmButton.className = "btn btn-danger";
    confirmButton.dataset.confirmOk = "";
    buttons.append(cancelButton, confirmButton);
    dialog.append(message, buttons);
    document.body.append(dialog);
    cancelButton.addEventListener("click", () => dialog.close("cancel"));
    confirmButton.addEventListener("click", () => dialog.close("confirm"));
    dialog.addEventListener("close", () => {
      // A close event can arrive after the dialog was opened again (Escape, then at once another delete):
      // it belongs to the earlier question, so it must not take the new one's form away.
      if (dialog.open) return;
      const form = pending;
      pending = null;
      if (dialog.returnValue === "confirm" && form) {
        form.dataset.confirmed = "true";
        form.requestSubmit();
      } else if (returnFocus && returnFocus.isConnected) {
        returnFocus.focus();
      }
    });
  };

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target.closest("form[data-confirm]");
      if (!form) return;
      if (form.dataset.confirmed === "true") {
        delete form.dataset.confirmed;
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (typeof HTMLDialogElement !== "function") {
        if (window.confirm(form.dataset.confirm)) {
          form.dataset.confirmed = "true";
          form.requestSubmit();
        }
        return;
      }
      if (!dialog) build();
      pending = form;
      returnFocus = event.submitter || document.activeElement;
      message.textContent = form.dataset.confirm;
      confirmButton.textContent = form.dataset.confirmButton || "Ta bort";
      dialog.returnValue = "";
      dialog.showModal();
      cancelButton.focus();
    },
    true,
  );
})();

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
