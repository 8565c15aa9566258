// The article page: a passage named by the URL fragment `#char=START,END` (RFC 5147,
// offsets in Unicode code points of the article text, as the dataset's
// oa:TextPositionSelector counts them) is highlighted and scrolled into view. Resource
// pages link every supporting passage this way.
(function () {
  "use strict";
  var article = document.getElementById("article");
  if (!article) { return; }

  function units(text, points) {
    // the UTF-16 offset of a code-point offset in text
    var i = 0;
    var seen = 0;
    while (seen < points && i < text.length) {
      var c = text.charCodeAt(i);
      i += (c >= 0xD800 && c <= 0xDBFF) ? 2 : 1;
      seen += 1;
    }
    return i;
  }

  function clear() {
    var marks = article.querySelectorAll("mark.passage");
    for (var k = 0; k < marks.length; k += 1) {
      var mark = marks[k];
      while (mark.firstChild) { mark.parentNode.insertBefore(mark.firstChild, mark); }
      mark.parentNode.removeChild(mark);
    }
    article.normalize();
  }

  function highlight() {
    clear();
    var match = /^#char=(\d+),(\d+)$/.exec(window.location.hash);
    if (!match) { return; }
    var whole = article.textContent;
    var start = units(whole, parseInt(match[1], 10));
    var end = units(whole, parseInt(match[2], 10));
    if (end <= start) { return; }
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    var offset = 0;
    var pieces = [];
    var node;
    while ((node = walker.nextNode())) {
      var from = Math.max(start, offset);
      var to = Math.min(end, offset + node.length);
      if (from < to) { pieces.push([node, from - offset, to - offset]); }
      offset += node.length;
    }
    var first = null;
    pieces.forEach(function (piece) {
      var range = document.createRange();
      range.setStart(piece[0], piece[1]);
      range.setEnd(piece[0], piece[2]);
      var mark = document.createElement("mark");
      mark.className = "passage";
      range.surroundContents(mark);
      first = first || mark;
    });
    if (first) { first.scrollIntoView({block: "center"}); }
  }

  window.addEventListener("hashchange", highlight);
  highlight();
})();
