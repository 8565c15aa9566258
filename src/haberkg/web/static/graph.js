// The graph page: the article's main entities and events laid out by cytoscape.js
// (from npm, served by the site: /static/cytoscape/cytoscape.min.js). Nodes are
// coloured by kind (the legend above the picture), edges are labelled with their
// property, every name links to its page. The layout is cytoscape's force-directed
// "cose" from fixed starting positions (the same picture on every visit), followed by a
// pass that moves apart any two labels that still overlap; the picture is then fitted
// to its box, labels included, so nothing is clipped. Without the library the list of
// statements below the picture stays the page's content.
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!holder || !source || typeof window.cytoscape !== "function") { return; }
  var data = JSON.parse(source.textContent);
  var colours = {};
  JSON.parse(holder.getAttribute("data-colours")).forEach(function (pair) {
    colours[pair[0]] = pair[1];
  });
  var order = Object.keys(colours);
  var nodes = data.nodes.slice().sort(function (a, b) {
    return order.indexOf(a.kind) - order.indexOf(b.kind) || (a.id < b.id ? -1 : 1);
  });
  var elements = [];
  nodes.forEach(function (node, i) {
    var angle = 2 * Math.PI * i / nodes.length;
    elements.push({group: "nodes", data: {id: node.id, label: node.label, kind: node.kind,
                                           href: node.href, colour: colours[node.kind]},
                   position: {x: 600 * Math.cos(angle), y: 400 * Math.sin(angle)}});
  });
  data.edges.forEach(function (edge) {
    elements.push({group: "edges", data: {id: edge.id, source: edge.source,
                                           target: edge.target, label: edge.label}});
  });
  var cy = window.cytoscape({
    container: holder,
    elements: elements,
    wheelSensitivity: 0.2,
    style: [
      {selector: "node", style: {
        "background-color": "data(colour)", "label": "data(label)", "width": 16,
        "height": 16, "font-size": 12, "color": "#1a1a1a", "text-valign": "bottom",
        "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 130,
        "text-background-color": "#ffffff", "text-background-opacity": 0.85,
        "text-background-padding": 1, "min-zoomed-font-size": 0}},
      {selector: "edge", style: {
        "width": 1.2, "line-color": "#9aa7b5", "target-arrow-color": "#9aa7b5",
        "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8,
        "label": "data(label)", "font-size": 9, "color": "#445", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.9,
        "text-background-padding": 1}},
      {selector: "edge.quiet", style: {"label": ""}},
      {selector: "edge.quiet.hover", style: {"label": "data(label)", "z-index": 10}},
      {selector: "node:selected", style: {"border-width": 3, "border-color": "#f0a000"}}
    ],
    layout: {name: "preset"}
  });

  function box(element) {
    return element.boundingBox({includeNodes: false, includeEdges: false,
                                includeLabels: true, includeMainLabels: true,
                                includeSourceLabels: false, includeTargetLabels: false});
  }
  function overlap(a, b, gap) {
    return a.x1 < b.x2 + gap && b.x1 < a.x2 + gap && a.y1 < b.y2 + gap && b.y1 < a.y2 + gap;
  }
  function separate() {
    // moves apart the nodes whose label boxes overlap (a few rounds suffice here)
    var list = cy.nodes().toArray();
    for (var round = 0; round < 60; round += 1) {
      var moved = false;
      for (var i = 0; i < list.length; i += 1) {
        for (var j = i + 1; j < list.length; j += 1) {
          var a = box(list[i]);
          var b = box(list[j]);
          if (!overlap(a, b, 6)) { continue; }
          var dx = (a.x1 + a.x2 - b.x1 - b.x2) / 2;
          var dy = (a.y1 + a.y2 - b.y1 - b.y2) / 2;
          var pushX = (Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 8) / 2;
          var pushY = (Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 8) / 2;
          var pa = list[i].position();
          var pb = list[j].position();
          if (pushY < pushX) {
            var sy = dy >= 0 ? 1 : -1;
            list[i].position({x: pa.x, y: pa.y + sy * pushY});
            list[j].position({x: pb.x, y: pb.y - sy * pushY});
          } else {
            var sx = dx >= 0 ? 1 : -1;
            list[i].position({x: pa.x + sx * pushX, y: pa.y});
            list[j].position({x: pb.x - sx * pushX, y: pb.y});
          }
          moved = true;
        }
      }
      if (!moved) { break; }
    }
  }
  var layout = cy.layout({name: "cose", randomize: false, animate: false, fit: false,
                          nodeDimensionsIncludeLabels: true, nodeRepulsion: function () {
                            return 120000; },
                          idealEdgeLength: function () { return 70; },
                          edgeElasticity: function () { return 80; },
                          gravity: 0.6, numIter: 3000, componentSpacing: 60,
                          nodeOverlap: 20, padding: 10});
  function spread() {
    // stretches the positions (not the labels) to the box's shape and size, so that the
    // picture is read at about its natural size
    var nodes = cy.nodes();
    var xs = nodes.map(function (n) { return n.position("x"); });
    var ys = nodes.map(function (n) { return n.position("y"); });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var width = Math.max(holder.clientWidth - 200, 200);
    var height = Math.max(holder.clientHeight - 90, 200);
    nodes.forEach(function (n) {
      var p = n.position();
      n.position({x: (p.x - x0) / Math.max(x1 - x0, 1) * width,
                  y: (p.y - y0) / Math.max(y1 - y0, 1) * height});
    });
  }
  function quieten() {
    // an edge label that would cover a name or another edge label is shown on hover
    // only (the statement stays in the list below the picture)
    var kept = cy.nodes().map(box);
    cy.edges().forEach(function (edge) {
      var b = box(edge);
      if (kept.some(function (k) { return overlap(b, k, 1); })) {
        edge.addClass("quiet");
      } else {
        kept.push(b);
      }
    });
  }
  layout.one("layoutstop", function () {
    spread();
    separate();
    cy.fit(cy.elements(), 24);
    quieten();
    holder.setAttribute("data-ready", "true");
  });
  layout.run();
  cy.on("mouseover", "edge", function (event) { event.target.addClass("hover"); });
  cy.on("mouseout", "edge", function (event) { event.target.removeClass("hover"); });
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.href = href; }
  });
  window.haberkgGraph = cy;
})();
