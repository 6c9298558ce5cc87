/*
 * The site's search worker: Material for MkDocs' search box asks, Pagefind answers.
 *
 * Material starts this worker (the theme configuration's "search", set per language by
 * hooks/search_index.py) and speaks its message protocol to it: SETUP → READY, then
 * QUERY (the text in the box) → RESULT (groups of result items it renders). This worker
 * answers READY at once and loads Pagefind only on the first query, so a reader who never
 * searches downloads nothing; one who does downloads the Pagefind chunks the query needs.
 *
 * The worker lives at <language root>/search/worker.js; everything it loads is relative
 * to that (the Pagefind bundle, search/worker.json), so it works under any path prefix and
 * inside a mike version folder.
 *
 * What it does to a query, in order:
 * - "key:value" parts are filters (年份:2024, 机构:…, 来源:…, 提法:…, a value with spaces
 *   in quotes: 机构:"…"; the words are in worker.json, from policy_archive/site_contract.py);
 *   two values of one filter are either (年份:2023 年份:2024 is 2023 or 2024);
 * - every character is mapped into the page's script with the archive's character table
 *   (worker.json); an ambiguous one (系 → 係/繫/系) gives several spellings, all searched;
 * - Chinese is cut into words with the browser's segmenter, as Pagefind does itself for a
 *   page language of zh (the worker has no page, so it does it for Pagefind); a common word
 *   (one in a heavy chunk of the index) is left out when the query holds a rarer word;
 * - documents come before index pages (two searches: only index pages carry the "kind"
 *   filter, so the documents are the pages without it), and among the results shown,
 *   pages holding the typed text as an exact phrase come before pages holding only its words;
 * - the first result is answered as soon as its text has arrived, the rest after; then the
 *   facets: for year, issuing body, outlet and formulation, the values the results hold with
 *   their counts (Pagefind's filter counts), sent with the results as plain data in the
 *   "facets" field of Material's RESULT message, which Material passes on to the page's
 *   component$ (docs/javascripts/search_facets.js shows them, as text).
 *
 * Results are written as HTML, because Material inserts the strings of a result into the
 * list as markup: every text from the index goes through escapeHtml, only <mark> is added.
 */
"use strict";

// Material's SearchMessageType.
const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

const ROOT = new URL("../", self.location.href);
// Results whose text is fetched and shown: what Material renders before the reader scrolls.
// Each costs a fragment (the page's text, a few KB): the largest part of a query's bytes.
const SHOWN = 10;
// Results answered first, while the text of the others is still on its way: one, so the
// reader sees a result after one page's text (3–35 KB), not four.
const FIRST = 1;
// Characters of a snippet.
const EXCERPT_CHARS = 90;
// Spellings of one query tried at most when characters are ambiguous.
const MAX_SPELLINGS = 8;
// Only index pages carry the "kind" filter (hooks/search_index.py): a filter listing the few
// index pages is a few hundred bytes, where one listing every document was 22 KB at 10,000.
const INDEX_PAGES = { kind: "index" };
const DOCUMENTS = { not: INDEX_PAGES };
const SCOPES = [DOCUMENTS, INDEX_PAGES];
// Values of one facet shown at most (the most frequent; chosen ones always).
const FACET_VALUES = 10;
// A filter typed as key:value, or key:"value with spaces"; any other run of non-spaces.
const TOKEN = /([^\s:：]+)[:：]"([^"]*)"|\S+/g;
const KEY_VALUE = /^([^:：]+)[:：](.+)$/;
const PARAGRAPH = /^p-(\d+)$/;

let loading = null;
let latest = 0;

function load() {
  if (loading === null) {
    loading = (async () => {
      const [pagefind, config] = await Promise.all([
        import(new URL("pagefind/pagefind.js", ROOT).href),
        fetch(new URL("search/worker.json", ROOT)).then((response) => response.json()),
      ]);
      await pagefind.options({ basePath: new URL("pagefind/", ROOT).href });
      await pagefind.init();
      const segmenter = new Intl.Segmenter(config.lang, { granularity: "word" });
      return { pagefind, config, segmenter };
    })();
  }
  return loading;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Every spelling of a text in the page's script, most likely first.
function spellings(text, table) {
  let out = [""];
  for (const ch of text) {
    const options = [...(table[ch] || ch)];
    const next = out.flatMap((prefix) => options.map((option) => prefix + option));
    out = next.length <= MAX_SPELLINGS ? next : out.map((prefix) => prefix + options[0]);
  }
  return out;
}

// The words Pagefind's index holds for a text (its own query splitting for zh pages).
function segment(text, segmenter) {
  const words = [];
  for (const { segment: word, isWordLike } of segmenter.segment(text)) {
    if (isWordLike) words.push(word.toLowerCase());
  }
  return words;
}

// Filters ("key:value") and the typed parts of a query. Several values of one filter are
// either of them; "chosen" keeps the token that chose each value, so a facet can unchoose it.
function parse(query, config) {
  const filters = {};
  const chosen = {};
  const parts = [];
  for (const match of query.trim().matchAll(TOKEN)) {
    const [token, quotedKey, quotedValue] = match;
    const pair = quotedKey === undefined ? KEY_VALUE.exec(token) : [token, quotedKey, quotedValue];
    const name = pair && config.filters[pair[1]];
    if (name && pair[2]) {
      const any = spellings(pair[2], config.table);
      (filters[name] ||= { any: [] }).any.push(...any);
      (chosen[name] ||= []).push({ token, any });
    } else {
      parts.push(token);
    }
  }
  return { parts, filters, chosen };
}

// Whether a word lies in one of the heavy chunks of the index (worker.json "heavy": their
// word ranges, from hooks/search_index.py): a common word, whose chunk grows with the
// archive (国家: 83 KB at 10,000 documents). Ranges are the prefixes Pagefind names chunks
// by; Han characters compare alike in JavaScript and in Pagefind's Rust.
function isHeavy(word, heavy) {
  return heavy.some(([from, to]) =>
    word.slice(0, from.length) >= from && word.slice(0, to.length) <= to);
}

// The words Pagefind is asked for: a query holding a rarer word of two characters or more
// is searched by its rarer words, so the reader does not download the common words' pages
// (國家戰略腹地 is searched as 腹地). The whole phrase still orders the results shown:
// pages holding it exactly come first (phraseFirst).
function searchedWords(words, heavy) {
  const light = words.filter((word) => !isHeavy(word, heavy));
  return light.some((word) => [...word].length > 1) ? light : words;
}

// What Pagefind is asked for: each spelling of the query, cut into the words its index holds.
function terms(parts, { config, segmenter }) {
  const typed = parts.join(" ");
  if (!typed) return [null];
  const heavy = config.heavy || [];
  return [...new Set(spellings(typed, config.table).map((variant) =>
    searchedWords(segment(variant, segmenter), heavy).join(" ")))];
}

async function searchAll({ pagefind }, variants, filters) {
  const hits = new Map();
  for (const [order, scope] of SCOPES.entries()) {
    for (const term of variants) {
      const found = await pagefind.search(term, { filters: { ...filters, ...scope } });
      for (const result of found ? found.results : []) {
        const rank = [order, -result.score];
        const known = hits.get(result.id);
        if (!known || compare(rank, known.rank) < 0) hits.set(result.id, { result, rank });
      }
    }
  }
  return [...hits.values()].sort((a, b) => compare(a.rank, b.rank));
}

// For each facet, the values the documents found hold and how many hold each: counted with
// the other facets' filters but not its own, so a reader who chose 2023 still sees 2024.
// Where a query has several spellings, a value counts the most any one of them found.
async function facets({ pagefind, config }, variants, filters, chosen) {
  await pagefind.filters(); // every filter's values, loaded after the first answer
  const out = [];
  for (const [name, label] of config.facets) {
    const others = Object.fromEntries(Object.entries(filters).filter(([key]) => key !== name));
    const counts = new Map();
    for (const term of variants) {
      const found = await pagefind.search(term, { filters: { ...others, ...DOCUMENTS } });
      for (const [value, count] of Object.entries((found && found.filters[name]) || {})) {
        if (count > (counts.get(value) || 0)) counts.set(value, count);
      }
    }
    // A value chosen that no document holds (年份:2099) is listed too, so it can be unchosen.
    for (const { any } of chosen[name] || []) {
      if (!any.some((value) => counts.has(value))) counts.set(any[0], 0);
    }
    const selected = new Set(filters[name] ? filters[name].any : []);
    const values = [...counts]
      .filter(([value, count]) => count > 0 || selected.has(value))
      .sort(name === "year" ? (a, b) => compareText(b[0], a[0])
                            : (a, b) => b[1] - a[1] || compareText(a[0], b[0]));
    const shown = values.filter(([value], i) => i < FACET_VALUES || selected.has(value));
    if (!shown.length) continue;
    const tokens = (value) => (chosen[name] || []).filter((c) => c.any.includes(value))
      .map((c) => c.token);
    out.push({
      name, label, more: values.length - shown.length,
      values: shown.map(([value, count]) => ({ value, count, tokens: tokens(value) })),
    });
  }
  return out;
}

function compareText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compare(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// The page's words as plain text: Pagefind keeps the word breaks (U+200B) only in the
// copy where it wrote < and > as &lt; and &gt;, so each word is read back from the plain
// content by its length there.
function plainWords(data) {
  const raw = data.raw_content;
  if (!raw.includes("\u200B")) return data.content.split(/\s+/);
  const text = data.content;
  const words = [];
  let at = 0;
  for (const word of raw.split("\u200B")) {
    let plain = "";
    let written = 0;
    while (written < word.length && at < text.length) {
      const ch = text[at++];
      plain += ch;
      written += ch === "<" || ch === ">" ? 4 : ch.length;
    }
    words.push(plain);
  }
  return words;
}

function occurrences(text, needle) {
  const found = [];
  for (let i = text.indexOf(needle); i >= 0 && needle; i = text.indexOf(needle, i + needle.length)) {
    found.push([i, i + needle.length]);
  }
  return found;
}

// Where the query is on a page, in characters of its text: the typed phrase if the page
// holds it (in any of its spellings), otherwise the words Pagefind matched.
function matches(data, phrases) {
  const words = plainWords(data);
  const joiner = data.raw_content.includes("\u200B") ? "" : " ";
  const text = words.join(joiner);
  const starts = [];
  let at = 0;
  for (const word of words) {
    starts.push(at);
    at += word.length + joiner.length;
  }
  const wordAt = (offset) => {
    let i = 0;
    while (i + 1 < starts.length && starts[i + 1] <= offset) i++;
    return i;
  };
  for (const phrase of phrases) {
    const ranges = occurrences(text, phrase);
    if (ranges.length) return { text, ranges, terms: [phrase], phrase: true, wordAt };
  }
  const located = [...new Set(data.locations)].sort((a, b) => a - b).filter((l) => l < words.length);
  const ranges = located.map((l) => [starts[l], starts[l] + words[l].length]);
  const terms = [...new Set(located.map((l) => words[l]).filter((w) => w.length > 1))];
  return { text, ranges, terms, phrase: false, wordAt };
}

// The numbered paragraph (id p-N) a word of the page belongs to.
function paragraphOf(anchors, location) {
  let found = null;
  for (const anchor of anchors || []) {
    if (PARAGRAPH.test(anchor.id || "") && anchor.location <= location) {
      if (!found || anchor.location > found.location) found = anchor;
    }
  }
  return found;
}

function excerpt(text, ranges, around) {
  const from = Math.max(0, around - Math.floor(EXCERPT_CHARS / 4));
  const to = Math.min(text.length, from + EXCERPT_CHARS);
  let html = from > 0 ? "…" : "";
  let at = from;
  for (const [start, end] of ranges) {
    if (end <= at || start >= to) continue;
    html += escapeHtml(text.slice(at, Math.max(at, start)));
    html += `<mark>${escapeHtml(text.slice(Math.max(at, start), Math.min(end, to)))}</mark>`;
    at = Math.min(end, to);
  }
  return html + escapeHtml(text.slice(at, to)) + (to < text.length ? "…" : "");
}

// Material's result items for one page: the page, and the paragraph holding the match.
function items(data, found, score) {
  const location = data.raw_url.replace(/^\/+/, "");
  const terms = Object.fromEntries(found.terms.map((t) => [t, true]));
  const title = escapeHtml((data.meta && data.meta.title) || location);
  const page = { location, title, text: "", score, terms };
  for (const [start] of found.ranges) {
    const paragraph = paragraphOf(data.anchors, found.wordAt(start));
    if (paragraph) {
      const number = PARAGRAPH.exec(paragraph.id)[1];
      const text = excerpt(found.text, found.ranges, start);
      // A little above the page, so Enter opens the paragraph, scrolled to and highlighted.
      return [page, { location: `${location}#${paragraph.id}`, title: `第 ${number} 段`, text,
                      score: score + 0.5, terms }];
    }
  }
  return [page];
}

// Pages holding one typed phrase exactly come before pages holding only its words
// (Pagefind cuts words at build time and the browser cuts the query, not always alike).
function phraseFirst(hits, found) {
  const key = (i) => [hits[i].rank[0], found[i].phrase ? 0 : 1, i];
  return hits.map((hit, i) => i).sort((a, b) => compare(key(a), key(b)));
}

// Answers a query in steps: the first result as soon as its text has arrived, then the rest
// of what Material shows before the reader scrolls, then the same with the facets.
async function search(query, answer, current) {
  if (!query.trim()) return answer({ items: [] });
  const setup = await load();
  const { parts, filters, chosen } = parse(query, setup.config);
  // A query of nothing searchable is answered (no result, no facet), unlike an empty box.
  if (!parts.length && !Object.keys(filters).length) return answer({ items: [], facets: [] });
  const variants = terms(parts, setup);
  const hits = (await searchAll(setup, variants, filters)).slice(0, SHOWN);
  const phrases = parts.length === 1 ? spellings(parts[0], setup.config.table) : [];
  // Every answer is ordered over all results whose text has arrived, so a page holding the
  // phrase that arrives with the second batch still comes before one holding only words.
  const seen = [];
  const datas = [];
  const found = [];
  let shown = [];
  // With no result, one empty answer: Material says so while the facets are counted.
  const batches = [hits.slice(0, FIRST), hits.slice(FIRST)].filter((b, i) => b.length || !i);
  for (const batch of batches) {
    const arrived = await Promise.all(batch.map((hit) => hit.result.data()));
    seen.push(...batch);
    datas.push(...arrived);
    found.push(...arrived.map((data) => matches(data, phrases)));
    shown = [];
    for (const i of phraseFirst(seen, found)) {
      shown.push(items(datas[i], found[i], SHOWN - shown.length));
    }
    if (!answer({ items: shown, facets: null })) return;
  }
  if (current()) answer({ items: shown, facets: await facets(setup, variants, filters, chosen) });
}

addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const id = ++latest;
    // A reader types faster than chunks arrive: only the latest query's answer is shown.
    const current = () => id === latest;
    const answer = (data) => {
      if (current()) postMessage({ type: RESULT, data });
      return current();
    };
    try {
      await search(message.data, answer, current);
    } catch (error) {
      console.warn("search failed:", error);
      answer({ items: [], facets: [] });
    }
  }
});
