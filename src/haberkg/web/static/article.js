// The landing page: a passage named by the URL fragment `#ARTICLE:char=START,END` is
// highlighted and scrolled into view. ARTICLE is the article's local name (the id of its
// text on the page); `char=START,END` is RFC 5147's, in Unicode code points of that
// article's text, as the dataset's oa:TextPositionSelector counts them. A bare
// `#char=START,END` names the first article. Resource pages link every supporting
// passage this way.
(function () {
  "use strict";
  var texts = document.querySelectorAll("div.article");
  if (!texts.length) { return; }

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
    var marks = document.querySelectorAll("div.article mark.passage");
    for (var k = 0; k < marks.length; k += 1) {
      var mark = marks[k];
      var parent = mark.parentNode;
      while (mark.firstChild) { parent.insertBefore(mark.firstChild, mark); }
      parent.removeChild(mark);
      parent.normalize();
    }
  }

  function highlight() {
    clear();
    var match = /^#(?:([A-Za-z0-9._~-]+):)?char=(\d+),(\d+)$/.exec(window.location.hash);
    if (!match) { return; }
    var article = match[1] ? document.getElementById(match[1]) : texts[0];
    if (!article || !article.classList.contains("article")) { return; }
    var whole = article.textContent;
    var start = units(whole, parseInt(match[2], 10));
    var end = units(whole, parseInt(match[3], 10));
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
