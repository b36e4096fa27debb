/* Dash's scripts (about 300 kB compressed, and seconds of a phone's main thread) start loading
   when the reader first does something with the page: a touch, a click, a key, a scroll, the
   mouse moving over it. Until then the server's copy is the page, complete with its links
   and GET forms. A test starts Dash at once by setting window.trackerStartDashNow before the
   page's scripts run, or later by calling window.trackerStartDash(). */
(function () {
  "use strict";
  var EVENTS = ["pointerdown", "touchstart", "keydown", "focusin", "wheel", "scroll", "mousemove"];
  var started = false;
  function start() {
    if (started) { return; }
    started = true;
    EVENTS.forEach(function (name) { window.removeEventListener(name, start, true); });
    var urls = JSON.parse(document.getElementById("_dash-renderer-scripts").textContent);
    urls.forEach(function (url, i) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;  /* run in the order the tags were in */
      if (i === urls.length - 1) {
        script.onload = function () { window.renderer = new DashRenderer(); };
      }
      document.body.appendChild(script);
    });
  }
  window.trackerStartDash = start;
  if (window.trackerStartDashNow) { start(); return; }
  EVENTS.forEach(function (name) {
    window.addEventListener(name, start, { capture: true, passive: true });
  });
}());
