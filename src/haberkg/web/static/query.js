// Starts the YASGUI SPARQL editor on the query page, with one tab per competency
// question, all against this server's endpoint. Without JavaScript (or without the
// editor assets) the plain form on the page keeps working.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder || typeof window.Yasgui === "undefined") { return; }
  var queries = JSON.parse(document.getElementById("competency-queries").textContent);
  var endpoint = new URL("/sparql", window.location.href).toString();
  var yasgui = new window.Yasgui(holder, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null
  });
  var initial = yasgui.getTab();
  var first = null;
  queries.forEach(function (q) {
    var tab = yasgui.addTab(false, {
      name: q.name,
      yasqe: { value: q.text },
      requestConfig: { endpoint: endpoint, method: "POST" }
    });
    if (first === null) { first = tab; }
  });
  if (first !== null) {
    yasgui.selectTabId(first.getId());
    if (initial) { initial.close(); }
  }
  document.getElementById("plain-form").hidden = true;
})();
