/* Hand the page over from the server's drawing (#server-rendered) to Dash's, once Dash has
   drawn the page's content: the two are the same layout, so the reader sees no jump. */
(function () {
  "use strict";
  function drawn() {
    var content = document.querySelector("#react-entry-point #_pages_content");
    return content !== null && content.childElementCount > 0;
  }
  function handOver() {
    var server = document.getElementById("server-rendered");
    if (server === null) { return true; }
    if (!drawn()) { return false; }
    var y = window.scrollY;
    server.remove();
    window.scrollTo(0, y);
    return true;
  }
  if (handOver()) { return; }
  var watcher = new MutationObserver(function () {
    if (handOver()) { watcher.disconnect(); }
  });
  watcher.observe(document.documentElement, { childList: true, subtree: true });
}());
