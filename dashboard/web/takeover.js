/* Hand the page over from the server's drawing (#server-rendered) to Dash's, once Dash has
   drawn the page's content: the two are the same layout, so the reader sees no jump. Dash
   loads on the reader's first action (loader.js), so they may already be using the server's
   copy: what they opened, typed or chose, and where the keyboard focus is, move to the same
   element of Dash's drawing (the n-th of its kind in each), and a press of a button that
   only Dash can answer (type="button") is pressed again there. */
(function () {
  "use strict";
  var FIELDS = "input:not([type=hidden]), select, textarea";
  var FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
    "[tabindex]";
  var pressed = [];
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[type=button]");
    var server = document.getElementById("server-rendered");
    if (button && server && server.contains(button)) { pressed.push(button); }
  }, true);
  function drawn() {
    var content = document.querySelector("#react-entry-point #_pages_content");
    return content !== null && content.childElementCount > 0;
  }
  function twinOf(element, server, dash, selector) {
    var index = Array.prototype.indexOf.call(server.querySelectorAll(selector), element);
    var twin = index < 0 ? null : dash.querySelectorAll(selector)[index];
    return twin && twin.tagName === element.tagName ? twin : null;
  }
  function setValue(field, value) {
    /* React keeps its own copy of a field's value: set it as the browser would, then say so */
    var setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), "value").set;
    setter.call(field, value);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function carryOver(server, dash) {
    server.querySelectorAll("details[open]").forEach(function (details) {
      var twin = twinOf(details, server, dash, "details");
      if (twin && !twin.open) { twin.open = true; }
    });
    server.querySelectorAll(FIELDS).forEach(function (field) {
      var twin = twinOf(field, server, dash, FIELDS);
      if (!twin) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        if (twin.checked !== field.checked) { twin.click(); }
      } else if (twin.value !== field.value) {
        setValue(twin, field.value);
      }
    });
    pressed = pressed.map(function (button) { return twinOf(button, server, dash, "button"); });
    /* the twin to focus, once Dash's drawing is shown (a hidden element takes no focus) */
    var focused = document.activeElement;
    if (!focused || !server.contains(focused)) { return null; }
    var twin = twinOf(focused, server, dash, FOCUSABLE);
    if (!twin) { return null; }
    return { twin: twin, start: focused.selectionStart, end: focused.selectionEnd };
  }
  function refocus(target) {
    target.twin.focus({ preventScroll: true });
    if (typeof target.start === "number" && target.twin.setSelectionRange) {
      try { target.twin.setSelectionRange(target.start, target.end); }
      catch (ignored) { /* not a field with a caret */ }
    }
  }
  function handOver() {
    var server = document.getElementById("server-rendered");
    if (server === null) { return true; }
    if (!drawn()) { return false; }
    var y = window.scrollY;
    var dash = document.getElementById("react-entry-point");
    var focus = carryOver(server, dash);
    server.remove();
    window.scrollTo(0, y);
    if (focus !== null) { refocus(focus); }
    pressed.forEach(function (twin) { if (twin) { twin.click(); } });
    pressed = [];
    return true;
  }
  if (handOver()) { return; }
  var watcher = new MutationObserver(function () {
    if (handOver()) { watcher.disconnect(); }
  });
  watcher.observe(document.documentElement, { childList: true, subtree: true });
}());
