// The sammanträdesvy (templates/meetings/minutes_session.html): htmx swaps the panel without page loads; this
// file adds what htmx does not: refused forms (400) and edit conflicts (409) are swapped in too, so their
// messages show; keyboard shortcuts; focus on the new heading after moving to another §; and the ersättare
// suggested for a jävig ledamot.
(() => {
  const panel = () => document.getElementById("session-panel");
  if (!panel()) return;

  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Unsaved text in the § form survives the panel's other actions (jäv, votering, närvaro): each swaps the whole
  // panel, so the typed values are carried into the new form, field by field, unless the action itself changed
  // that field on the server (then the server's value wins). Moving to another § with unsaved text asks first.
  const textForm = () => document.querySelector("#session-panel form[data-paragraph-text]");
  const edits = (form) => {
    const changed = {};
    if (!form) return changed;
    for (const field of form.querySelectorAll("textarea, input[type=text]")) {
      if (field.name && field.value !== field.defaultValue) {
        changed[field.name] = { was: field.defaultValue, typed: field.value };
      }
    }
    return changed;
  };
  let carried = null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const source = event.detail.elt;
    const form = textForm();
    if (!form || !source || form.contains(source)) return;
    const changed = edits(form);
    if (!Object.keys(changed).length) return;
    if (source.tagName === "A") {
      if (!window.confirm("Paragrafen har ändringar som inte är sparade. Vill du lämna den ändå?")) {
        event.preventDefault();
      }
      return;
    }
    carried = { action: form.getAttribute("action"), changed };
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!carried) return;
    const { action, changed } = carried;
    carried = null;
    const form = textForm();
    if (!form || form.getAttribute("action") !== action) return;
    let kept = false;
    for (const [name, { was, typed }] of Object.entries(changed)) {
      const field = form.elements.namedItem(name);
      if (field && field.defaultValue === was) {
        field.value = typed;
        kept = true;
      }
    }
    if (kept && !form.querySelector("[data-unsaved-note]")) {
      const note = document.createElement("p");
      note.className = "alert alert-warning py-2";
      note.dataset.unsavedNote = "";
      note.setAttribute("role", "status");
      note.textContent = "Din text i paragrafen är inte sparad än: spara den med knappen nedan.";
      form.prepend(note);
    }
  });

  // The current § is kept in sight in the § list (which scrolls on its own).
  const showCurrent = () => {
    const list = document.querySelector("#session-nav ol");
    const current = list && list.querySelector("[aria-current]");
    if (!current) return;
    const top = current.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top > list.scrollTop + list.clientHeight - current.offsetHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  };
  showCurrent();
  document.addEventListener("htmx:oobAfterSwap", showCurrent);

  // After moving (a link or a shortcut), the heading of the new panel gets focus so a screen reader reads it.
  document.addEventListener("htmx:afterSwap", (event) => {
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.tagName === "A") {
      const heading = document.getElementById("panel-heading");
      if (heading) heading.focus();
    }
  });

  const typing = (target) =>
    target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);

  // A shortcut pressed while htmx is still settling a new panel waits until its forms are live.
  const press = (name) => {
    if (document.querySelector(".htmx-settling, .htmx-swapping")) {
      window.setTimeout(() => press(name), 30);
      return;
    }
    const selector = `#session-panel [data-shortcut="${name}"], #session-nav [data-shortcut="${name}"]`;
    const element = document.querySelector(selector);
    if (element) element.click();
  };

  // The one-letter shortcuts can be turned off (WCAG 2.1.4); the choice is remembered in this browser.
  const toggle = document.getElementById("shortcuts-on");
  const STORE = "paragraf.meetingShortcuts";
  try {
    if (toggle && window.localStorage.getItem(STORE) === "off") toggle.checked = false;
  } catch (error) { /* storage unavailable: shortcuts stay on */ }
  if (toggle) {
    toggle.addEventListener("change", () => {
      try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (error) { /* ignore */ }
    });
  }
  const lettersOn = () => !toggle || toggle.checked;

  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && typing(event.target)) {
      const form = event.target.closest("form");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || !lettersOn()) return;
    const keys = { j: "next", k: "previous", n: "attendance", b: "as-proposed" };
    const name = keys[event.key.toLowerCase()];
    if (name) {
      event.preventDefault();
      press(name);
    }
  });

  // Choosing the jävig ledamot preselects the suggested ersättare (same party first); it can be changed.
  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-jav-person]");
    if (!select) return;
    const target = document.getElementById(select.dataset.javPerson);
    const option = select.selectedOptions[0];
    if (target) target.value = (option && option.dataset.suggest) || "";
  });
})();
