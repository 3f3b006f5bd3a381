// The agenda editor (föredragningslista): drag and drop with SortableJS, and the "Flytta upp" / "Flytta ned"
// buttons without a page reload. Both post to the server, which renumbers the items 1..n; the page then shows
// the new numbers and says what happened in the aria-live region. Without JavaScript the buttons are plain
// forms and the page reloads.
(() => {
  const list = document.getElementById("agenda-items");
  if (!list || !list.dataset.reorderUrl) return;
  const status = document.getElementById("agenda-status");
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  const announce = (message) => {
    if (!status) return;
    status.textContent = "";
    // A new text node each time, so screen readers read a repeated message again.
    window.setTimeout(() => { status.textContent = message; }, 50);
  };

  const items = () => Array.from(list.querySelectorAll(":scope > li[data-item-id]"));

  const setDisabled = (button, disabled) => {
    if (!button) return;
    if (disabled) button.setAttribute("aria-disabled", "true");
    else button.removeAttribute("aria-disabled");
  };

  // Numbers and the first/last button states after any change of order.
  const refresh = () => {
    const all = items();
    all.forEach((li, index) => {
      li.querySelectorAll(".agenda-number").forEach((el) => {
        el.textContent = el.textContent.trim().endsWith(".") ? `${index + 1}.` : `${index + 1}`;
      });
      const up = li.querySelector('[data-move="up"]');
      const down = li.querySelector('[data-move="down"]');
      setDisabled(up, index === 0);
      setDisabled(down, index === all.length - 1);
    });
  };

  const applyOrder = (order) => {
    const byId = new Map(items().map((li) => [li.dataset.itemId, li]));
    order.map(String).forEach((id) => {
      const li = byId.get(id);
      if (li) list.appendChild(li);
    });
    refresh();
  };

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      body,
      credentials: "same-origin",
    });
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = { ok: false, message: "Ändringen kunde inte sparas. Ladda om sidan och försök igen." };
    }
    if (!response.ok || !data.ok) throw new Error(data.message || "Ändringen kunde inte sparas.");
    return data;
  };

  // Keyboard and pointer: the move buttons.
  list.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.move-form");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button[data-move]");
    if (button.getAttribute("aria-disabled") === "true") {
      announce(button.dataset.move === "up" ? "Punkten är redan först." : "Punkten är redan sist.");
      return;
    }
    try {
      const data = await post(form.action, new FormData(form));
      applyOrder(data.order);
      announce(data.message);
    } catch (error) {
      announce(error.message);
    }
    // The moved item's button keeps the focus, wherever the item went.
    button.focus();
  });

  // Drag and drop.
  if (window.Sortable) {
    window.Sortable.create(list, {
      handle: ".drag-handle",
      draggable: "li[data-item-id]",
      animation: 150,
      forceFallback: true,
      onEnd: async (event) => {
        if (event.oldIndex === event.newIndex) return;
        const body = new FormData();
        items().forEach((li) => body.append("item", li.dataset.itemId));
        body.append("moved", event.item.dataset.itemId);
        try {
          const data = await post(list.dataset.reorderUrl, body);
          applyOrder(data.order);
          announce(data.message);
        } catch (error) {
          announce(`${error.message} Sidan laddas om.`);
          window.setTimeout(() => window.location.reload(), 1500);
        }
      },
    });
  }

  // After a move without JavaScript (a full page load), put the focus back on the button that was used.
  const moved = list.dataset.moved;
  if (moved) {
    const button = list.querySelector(`[data-move-button="${CSS.escape(moved)}"]`);
    if (button) button.focus();
  }
})();
