/* Dossier: previews. Plain JavaScript, no network: works from file:// and from a server.
 *
 * A link to a profile in the page's text (prose, tables, lists) shows a small popover with
 * the profile's name, type, kind and the start of its summary: on hover, on keyboard focus,
 * and on touch with a long press (a tap still follows the link; a long press shows the
 * preview instead of opening the link, and a tap elsewhere closes it: touch has no hover,
 * and a button beside every link would crowd tables). The data is inline in the page (<script type="application/json"
 * id="dossier-previews">, built by generator/pages/previews.py), keyed by the link's
 * address relative to the page. Everything from content is set with textContent.
 *
 * Reference numbers use Material's own footnote tooltips (content.footnote.tooltips); this
 * script only lets Escape close them, as it closes its own popover (WCAG 1.4.13).
 */
(function () {
  "use strict";

  var DATA_ID = "dossier-previews";
  var POPOVER_ID = "dossier-preview";
  var SHOW_AFTER = 300;  // ms a pointer rests on a link before its preview opens
  var HIDE_AFTER = 200;  // ms to move the pointer from the link onto the popover
  var MARGIN = 8;        // px kept between the popover and the window's edges
  var LONG_PRESS = 450;  // ms a finger rests on a link (Android's own long press: 400-500)
  var SLOP = 10;         // px a resting finger may drift

  var source = null;     // the data element the table was read from
  var table = {};        // absolute address (no fragment) -> preview
  var popover = null;
  var current = null;    // the link whose preview is shown
  var described = null;  // that link's own aria-describedby, put back on hide
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = "mouse";
  var press = null;      // a finger resting on a link: {link, x, y, timer}
  var pressed = null;    // the link a long press previewed: its click is not followed

  function withoutFragment(url) {
    var i = url.indexOf("#");
    return i < 0 ? url : url.slice(0, i);
  }

  function previews() {
    var el = document.getElementById(DATA_ID);
    if (el !== source) {
      source = el;
      table = {};
      if (el) {
        var raw = JSON.parse(el.textContent);  // {links: {href: [name, type, kind, summary]}, types}
        Object.keys(raw.links).forEach(function (href) {
          var row = raw.links[href];
          table[withoutFragment(new URL(href, document.baseURI).href)] = {
            name: row[0], type: row[1], label: raw.types[row[1]] || row[1], kind: row[2], summary: row[3]
          };
        });
      }
    }
    return table;
  }

  /* The link `target` lies in, when it is a link of the page's text to a profile. */
  function profileLink(target) {
    var a = target instanceof Element ? target.closest("a[href]") : null;
    if (!(a instanceof HTMLAnchorElement) || !a.closest(".md-content")) return null;
    if (a.classList.contains("footnote-ref") || a.classList.contains("footnote-backref")) return null;
    return Object.prototype.hasOwnProperty.call(previews(), withoutFragment(a.href)) ? a : null;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function getPopover() {
    if (!popover || !popover.isConnected) {  // (Material's instant navigation swaps the page)
      popover = element("div", "dossier-preview md-typeset");
      popover.id = POPOVER_ID;
      popover.setAttribute("role", "tooltip");
      popover.hidden = true;
      popover.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
      popover.addEventListener("pointerleave", function () { scheduleHide(); });
      document.body.appendChild(popover);
    }
    return popover;
  }

  function fill(box, entry) {
    box.textContent = "";
    var head = element("p", "dossier-preview__head");
    head.appendChild(element("strong", "dossier-preview__name", entry.name));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("span", "dossier-badge dossier-type dossier-type-" + entry.type, entry.label));
    if (entry.kind) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(element("span", "dossier-badge dossier-kind", entry.kind));
    }
    box.appendChild(head);
    if (entry.summary) box.appendChild(element("p", "dossier-preview__summary", entry.summary));
  }

  /* Below the link (its first line), or above it when the window has no room below;
   * never past the window's sides (a phone is 390 px wide). */
  function place(box, a) {
    var rect = a.getClientRects()[0] || a.getBoundingClientRect();
    var view = document.documentElement.clientWidth;
    box.style.left = "0px";
    box.style.top = "0px";
    var width = box.offsetWidth;
    var height = box.offsetHeight;
    var left = Math.max(MARGIN, Math.min(rect.left, view - width - MARGIN));
    var top = rect.bottom + 6;
    if (top + height > window.innerHeight - MARGIN && rect.top - height - 6 >= MARGIN) {
      top = rect.top - height - 6;
    }
    box.style.left = (left + window.scrollX) + "px";
    box.style.top = (top + window.scrollY) + "px";
  }

  function show(a) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    var entry = previews()[withoutFragment(a.href)];
    if (!entry) return;
    if (current && current !== a) hide();
    var box = getPopover();
    fill(box, entry);
    box.hidden = false;
    place(box, a);
    if (current !== a) {
      current = a;
      described = a.getAttribute("aria-describedby");
      a.setAttribute("aria-describedby", described ? described + " " + POPOVER_ID : POPOVER_ID);
    }
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (popover) popover.hidden = true;
    if (current) {
      if (described) current.setAttribute("aria-describedby", described);
      else current.removeAttribute("aria-describedby");
    }
    current = null;
    described = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_AFTER);
  }

  document.addEventListener("pointerover", function (event) {
    lastPointer = event.pointerType || "mouse";
    if (lastPointer === "touch") return;
    var a = profileLink(event.target);
    if (!a) return;
    clearTimeout(hideTimer);
    if (a === current) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(a); }, SHOW_AFTER);
  });

  document.addEventListener("pointerout", function (event) {
    var a = profileLink(event.target);
    if (!a || (event.relatedTarget instanceof Node && a.contains(event.relatedTarget))) return;
    clearTimeout(showTimer);
    if (a === current) scheduleHide();
  });

  function endPress() {
    if (press) clearTimeout(press.timer);
    press = null;
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    var a = profileLink(event.target);
    if (current && !(popover && popover.contains(event.target)) && a !== current) hide();
    endPress();
    pressed = null;
    if (lastPointer !== "touch" || !a) return;
    press = {link: a, x: event.clientX, y: event.clientY, timer: setTimeout(function () {
      pressed = a;
      press = null;
      show(a);
    }, LONG_PRESS)};
  });

  document.addEventListener("pointermove", function (event) {
    if (press && Math.abs(event.clientX - press.x) + Math.abs(event.clientY - press.y) > SLOP) endPress();
  });
  document.addEventListener("pointerup", endPress);
  document.addEventListener("pointercancel", endPress);

  /* The click that ends a long press does not follow the link. */
  document.addEventListener("click", function (event) {
    if (pressed && event.target instanceof Node && pressed.contains(event.target)) {
      event.preventDefault();
    }
    pressed = null;
  }, true);

  /* Chrome on Android opens a link's menu on a long press (`contextmenu`): the preview shows
   * instead. A mouse's right click keeps its menu. */
  document.addEventListener("contextmenu", function (event) {
    if (lastPointer !== "touch") return;
    var a = profileLink(event.target);
    if (!a) return;
    event.preventDefault();
    endPress();
    pressed = a;
    show(a);
  });

  document.addEventListener("focusin", function (event) {
    var a = profileLink(event.target);
    if (a) show(a);
  });

  document.addEventListener("focusout", function (event) {
    if (current && event.target === current) hide();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (current) hide();
    /* Material's footnote tooltips stay open while hovered or focused: Escape closes them */
    Array.prototype.forEach.call(document.querySelectorAll(".md-tooltip2--active"), function (tip) {
      tip.classList.remove("md-tooltip2--active");
    });
  });

  window.addEventListener("resize", function () { if (current) hide(); });

  /* Material's footnote tip is a role="dialog" with no name (axe: aria-dialog-name, serious):
   * named after the reference number it shows, "Reference 2". */
  var lastRef = null;
  function noteRef(event) {
    var ref = event.target instanceof Element ? event.target.closest("a.footnote-ref") : null;
    if (ref) lastRef = ref;
  }
  document.addEventListener("pointerover", noteRef);
  document.addEventListener("focusin", noteRef);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      Array.prototype.forEach.call(change.addedNodes, function (node) {
        if (node instanceof Element && node.classList.contains("md-tooltip2") &&
            node.getAttribute("role") === "dialog" && !node.hasAttribute("aria-label")) {
          node.setAttribute("aria-label", "Reference" + (lastRef ? " " + lastRef.textContent.trim() : ""));
        }
      });
    });
  }).observe(document.body, {childList: true});
})();
