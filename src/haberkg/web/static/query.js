// The query page: the YASGUI SPARQL editor with one tab per competency question, and a
// query shared as a link (`?query=` and the URL-encoded query) opened in the editor and
// run at once.
//
// Where it runs the queries (the page's #yasgui data-engine):
// * "endpoint" (haberkg serve): on the server's SPARQL endpoint, /sparql;
// * "wasm" (the static site): in the browser, with Oxigraph compiled to WebAssembly
//   (/static/oxigraph/, from the npm package `oxigraph`) over the release files of the
//   site (/dist/haberkg.nt, the claim graphs of /dist/haberkg.trig, and the VoID
//   description in its named graph, as haberkg serve holds them). The editor's requests
//   to /sparql are answered in the page: nothing is sent to a server.
// Without the editor assets the plain form of the page works, and answers are shown as
// a table; without JavaScript the form still sends the query to the endpoint.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder) { return; }
  var engine = holder.getAttribute("data-engine") || "endpoint";
  var endpoint = new URL(holder.getAttribute("data-endpoint") || "/sparql",
                         window.location.href).toString();
  var BASE_IRI = "https://w3id.org/haberkg/sparql";
  var VOID_GRAPH = "https://w3id.org/haberkg/dist/void.ttl";
  var JSON_RESULTS = "application/sparql-results+json";

  function sharedQuery() {
    var fromUrl = new URLSearchParams(window.location.search).get("query");
    if (fromUrl) { return fromUrl; }
    var node = document.getElementById("initial-query");
    var value = node ? JSON.parse(node.textContent || "null") : null;
    return value || null;
  }

  // ------------------------------------------------------------------ the local engine
  var loading = null;
  function localStore() {
    if (loading === null) {
      loading = import(new URL("/static/oxigraph/web.js", window.location.href).toString())
        .then(function (ox) {
          return ox.default().then(function () {
            return Promise.all(["/dist/haberkg.nt", "/dist/haberkg.trig", "/.well-known/void"]
              .map(function (path) {
                return fetch(path).then(function (response) {
                  if (!response.ok) { throw new Error(path + ": " + response.status); }
                  return response.text();
                });
              }));
          }).then(function (texts) {
            var store = new ox.Store();
            store.load(texts[0], { format: "application/n-triples" });
            var claims = new ox.Store();
            claims.load(texts[1], { format: "application/trig" });
            claims.match(null, null, null, null).forEach(function (quad) {
              if (quad.graph.termType !== "DefaultGraph") { store.add(quad); }
            });
            store.load(texts[2], { format: "text/turtle",
                                   to_graph_name: ox.namedNode(VOID_GRAPH) });
            return store;
          });
        });
    }
    return loading;
  }

  function runLocally(query, accept) {
    return localStore().then(function (store) {
      var graphForm = /turtle|n-triples|ld\+json|rdf\+xml|trig|n-quads/.test(accept || "");
      var formats = graphForm ? ["text/turtle", JSON_RESULTS] : [JSON_RESULTS, "text/turtle"];
      var lastError = null;
      for (var i = 0; i < formats.length; i += 1) {
        try {
          var body = store.query(query, { results_format: formats[i], base_iri: BASE_IRI });
          return { status: 200, type: formats[i], body: body };
        } catch (error) {
          lastError = error;
        }
      }
      return { status: 400, type: "text/plain", body: String(lastError) };
    });
  }

  function sameEndpoint(url) {
    var target = new URL(url, window.location.href);
    return target.origin + target.pathname === endpoint;
  }

  if (engine === "wasm") {
    var networkFetch = window.fetch.bind(window);
    window.fetch = function (input, init) {
      var request = input instanceof Request ? input : new Request(input, init);
      if (!sameEndpoint(request.url)) { return networkFetch(input, init); }
      var query = new URL(request.url).searchParams.get("query");
      var body = request.method === "POST" ? request.text() : Promise.resolve("");
      return body.then(function (text) {
        var type = request.headers.get("Content-Type") || "";
        if (!query && type.indexOf("application/sparql-query") === 0) { query = text; }
        if (!query) { query = new URLSearchParams(text).get("query"); }
        return runLocally(query || "", request.headers.get("Accept"));
      }).then(function (answer) {
        return new Response(answer.body, { status: answer.status,
                                           headers: { "Content-Type": answer.type } });
      });
    };
  }

  // ------------------------------------------------------------------ the plain form
  function showTable(answer) {
    var out = document.getElementById("local-results");
    out.textContent = "";
    if (answer.status !== 200 || answer.type !== JSON_RESULTS) {
      var pre = document.createElement("pre");
      pre.textContent = answer.body;
      out.appendChild(pre);
      return;
    }
    var data = JSON.parse(answer.body);
    if (typeof data.boolean === "boolean") {
      out.textContent = data.boolean ? "yes" : "no";
      return;
    }
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    data.head.vars.forEach(function (name) {
      var cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = name;
      head.appendChild(cell);
    });
    var rows = table.createTBody();
    data.results.bindings.forEach(function (binding) {
      var row = rows.insertRow();
      data.head.vars.forEach(function (name) {
        row.insertCell().textContent = binding[name] ? binding[name].value : "";
      });
    });
    out.appendChild(table);
  }

  function runPlain(query) {
    var answer;
    if (engine === "wasm") {
      answer = runLocally(query, JSON_RESULTS);
    } else {
      answer = window.fetch(endpoint, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded",
                                   "Accept": JSON_RESULTS + ", text/turtle;q=0.5" },
        body: new URLSearchParams({ query: query }).toString()
      }).then(function (response) {
        return response.text().then(function (body) {
          return { status: response.status,
                   type: (response.headers.get("Content-Type") || "").split(";")[0],
                   body: body };
        });
      });
    }
    return answer.then(showTable);
  }

  // ------------------------------------------------------------------ the editor
  function start() {
    var shared = sharedQuery();
    if (typeof window.Yasgui === "undefined") {
      var form = document.getElementById("plain-form");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var query = document.getElementById("query").value;
        var url = new URL(window.location.href);
        url.search = new URLSearchParams({ query: query }).toString();
        window.history.replaceState(null, "", url.toString());
        runPlain(query);
      });
      if (shared) {
        document.getElementById("query").value = shared;
        runPlain(shared);
      }
      return;
    }
    var queries = JSON.parse(document.getElementById("competency-queries").textContent);
    var config = { endpoint: endpoint, method: "POST" };
    var yasgui = new window.Yasgui(holder, {
      requestConfig: config, copyEndpointOnNewTab: true, persistenceId: null
    });
    var initial = yasgui.getTab();
    var first = null;
    if (shared) {
      first = yasgui.addTab(false, { name: "shared query", yasqe: { value: shared },
                                     requestConfig: config });
    }
    queries.forEach(function (q) {
      var tab = yasgui.addTab(false, { name: q.name, yasqe: { value: q.text },
                                       requestConfig: config });
      if (first === null) { first = tab; }
    });
    if (first !== null) {
      yasgui.selectTabId(first.getId());
      if (initial) { initial.close(); }
    }
    document.getElementById("plain-form").hidden = true;
    if (shared) {
      var editor = yasgui.getTab().getYasqe();
      editor.setValue(shared);
      editor.query();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
