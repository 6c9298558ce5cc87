/* Paragraph numbers and links, the citation box, the script switch keeping the anchor, and
   the version selector of zh-Hant pages. Hand-written, no framework; text is only ever set
   with textContent. */
(function () {
  "use strict";

  /* The few words this script writes, in the page's script. */
  var hant = document.documentElement.lang === "zh-Hant";
  var words = hant ? {
    copied: "已複製", link: "複製本段連結", cite: "引用本段",
    paragraph: function (n) { return "引用第 " + n + " 段（網址指向該段）。"; },
    whole: "引用全文；引用某一段，點該段旁的“引”。"
  } : {
    copied: "已复制", link: "复制本段链接", cite: "引用本段",
    paragraph: function (n) { return "引用第 " + n + " 段（网址指向该段）。"; },
    whole: "引用全文；引用某一段，点该段旁的“引”。"
  };

  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = words.copied;
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else {
      fallback(text);
      done();
    }
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    area.remove();
  }

  /* The citation box: copy buttons, and citing one paragraph (URL with #p-N). */
  var box = document.getElementById("cite");
  var originals = [];
  if (box) {
    box.querySelectorAll(".doc-cite-format").forEach(function (format) {
      var code = format.querySelector("code");
      originals.push([format.dataset.format, code, code.textContent]);
      format.querySelector(".doc-cite-copy").addEventListener("click", function (event) {
        window.__archiveCopied = code.textContent;
        copy(code.textContent, event.target);
      });
    });
  }

  function citeParagraph(anchor) {
    if (!box) { return; }
    var url = box.dataset.url;
    var number = anchor ? anchor.replace("p-", "") : null;
    originals.forEach(function (item) {
      var format = item[0], code = item[1], text = item[2];
      if (number) {
        text = text.split(url).join(url + "#" + anchor);
        if (format === "bibtex") { text = text.replace(/\n}$/, "\n  note = {第 " + number + " 段},\n}"); }
        if (format === "ris") { text = text.replace(/ER {2}- $/, "N1  - 第 " + number + " 段\nER  - "); }
        if (format === "csl") {
          var record = JSON.parse(text);
          record[0].locator = number;
          record[0].label = "paragraph";
          text = JSON.stringify(record, null, 1);
        }
      }
      code.textContent = text;
    });
    box.querySelector(".doc-cite-scope").textContent = number
      ? words.paragraph(number) : words.whole;
    box.open = true;
  }

  /* Paragraph controls: a link to the paragraph (copied) and "cite this paragraph". */
  document.querySelectorAll(".md-content p.doc-p[id]").forEach(function (p) {
    var tools = document.createElement("span");
    tools.className = "doc-p-tools";
    var link = document.createElement("a");
    link.className = "doc-p-link";
    link.href = "#" + p.id;
    link.title = words.link;
    link.textContent = "¶";
    link.addEventListener("click", function (event) {
      event.preventDefault();
      history.replaceState(null, "", "#" + p.id);
      var url = box ? box.dataset.url + "#" + p.id : location.href;
      copy(url, link);
      setTimeout(function () { link.textContent = "¶"; }, 1500);
    });
    var cite = document.createElement("button");
    cite.type = "button";
    cite.className = "doc-p-cite";
    cite.title = words.cite;
    cite.textContent = "引";
    cite.addEventListener("click", function () {
      citeParagraph(p.id);
      box.scrollIntoView({ block: "start" });
    });
    tools.appendChild(link);
    if (box) { tools.appendChild(cite); }
    p.appendChild(tools);
  });

  /* The script switch keeps the paragraph a reader is at. Material's own handler of these
     links (on document.body) looks the page up in the other language's sitemap and drops
     the anchor, so this one goes first and stops the click there. */
  document.querySelectorAll("a[hreflang]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      if (location.hash && a.href.indexOf("#") < 0 && !event.metaKey && !event.ctrlKey) {
        event.preventDefault();
        event.stopPropagation();
        location.href = a.href + location.hash;
      }
    });
  });

  /* GitHub Pages serves one 404 page (simplified); an address in the zh-Hant site gets the
     version's zh-Hant 404 page instead. */
  var notFound = document.querySelector(".archive-404");
  if (notFound && document.documentElement.lang !== "zh-Hant" &&
      location.pathname.indexOf("/zh-Hant/") >= 0) {
    location.replace(new URL("zh-Hant/404.html", notFound.querySelector("a").href).href);
    return;
  }

  /* zh-Hant pages: Material looks for versions.json next to the zh-Hant folder, where
     mike never writes it; build the same selector from the version's root instead. */
  var configElement = document.getElementById("__config");
  if (document.documentElement.lang === "zh-Hant" && configElement) {
    var config = JSON.parse(configElement.textContent);
    var base = new URL(config.base, location.href);
    if (!/\/zh-Hant\/$/.test(base.pathname) || !config.version) { return; }
    var versionRoot = new URL("../", base);
    fetch(new URL("../versions.json", versionRoot)).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (versions) {
      if (!versions.length || document.querySelector(".md-version")) { return; }
      var current = versionRoot.pathname.replace(/\/$/, "").split("/").pop();
      var active = versions.find(function (v) {
        return v.version === current || v.aliases.indexOf(current) >= 0;
      }) || versions[0];
      var here = location.pathname.slice(versionRoot.pathname.length) + location.hash;
      var outer = document.createElement("div");
      outer.className = "md-version";
      var button = document.createElement("button");
      button.className = "md-version__current";
      button.setAttribute("aria-label", "選擇版本");
      button.textContent = active.title;
      var list = document.createElement("ul");
      list.className = "md-version__list";
      versions.forEach(function (v) {
        var item = document.createElement("li");
        item.className = "md-version__item";
        var a = document.createElement("a");
        a.className = "md-version__link";
        a.href = new URL("../" + v.version + "/" + here, versionRoot).href;
        a.textContent = v.title;
        item.appendChild(a);
        list.appendChild(item);
      });
      outer.appendChild(button);
      outer.appendChild(list);
      var topic = document.querySelector(".md-header__topic");
      if (topic) { topic.appendChild(outer); }
    });
  }
})();
