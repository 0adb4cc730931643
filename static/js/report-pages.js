// A report read page by page: a link to one of its sections made before it was
// (or by hand: /reports/5/#s12) lands on the first page. When the section is not
// on this page, go to the page the contents list gives for it.
(function () {
  var anchor = decodeURIComponent(location.hash.slice(1));
  if (!anchor || document.getElementById(anchor)) {
    return;
  }
  var links = document.querySelectorAll(".toc a[href]");
  for (var i = 0; i < links.length; i++) {
    var href = links[i].getAttribute("href");
    if (href.slice(href.indexOf("#") + 1) === anchor) {
      location.replace(links[i].href);
      return;
    }
  }
})();
