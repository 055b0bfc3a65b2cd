/* Dossier's search worker: Material's search dialog and result list, MiniSearch behind them.
 *
 * Why: Material's lunr worker builds an index of every page's full text; at 10,000 entities
 * its 56-69 MB index took 26 s to a first result in Chromium (174 MB of heap). This worker
 * searches one entry per profile (search/entries.js, built by generator/pages/search_index.py:
 * name, aliases, type, summary, tags) and the navigation's page titles, forgiving one typo
 * and accents both ways ("Chavez" = "Chávez"), in any script.
 *
 * It speaks the protocol of Material's worker (9.x, integrations/search/worker/message):
 * {type: 0 SETUP, data: {config, docs, options}} -> {type: 1 READY};
 * {type: 2 QUERY, data: "query"} -> {type: 3 RESULT, data: {items: [[item], ...]}},
 * an item being {location, title, text, score, terms}. Material inserts `title` and `text`
 * as HTML, so every piece of content is escaped here, and only <mark>, <p> and <em> added.
 *
 * And that of Zensical's worker (0.0.73, read from its shipped bundle), told apart by SETUP:
 * {type: 0, data: {config, items: [document]}} -> {type: 1};
 * {type: 2, data: {input: "query", page?: {id, size, from}, ...}} -> {type: 3, data:
 * {items: [{id, matches: [{field, value: {highlight: {ranges: [{start, end, value}]}}}]}],
 * pagination: {total, prev?, next?}}}, `id` a document's position. Zensical's dialog draws
 * its own documents (search/search.json, the entries in the same order, as HTML text) and
 * marks the ranges; a `prev` page means "append". Nothing here goes into its HTML.
 * From file:// Material runs workers in an iframe (the iframe-worker shim), where
 * importScripts adds <script> elements and returns a promise: both are awaited the same way.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var PAGE_KIND = "page";     /* generator/pages/search_index.py PAGE_KIND */
var FAILED = 4;             /* Zensical: "search is unavailable" */
var RESULTS_MAX = 200;      /* results sent back: past it a reader refines the query */
var PAGE_SIZE = 10;         /* Zensical asks for more as its list scrolls (its own size) */
var SNIPPET = 200;          /* characters of summary shown around the first match */
/* two indexes: names (forgiving a typo) and summaries (exact words and prefixes: a typo
 * searched through every summary's words found mostly noise, and took longest) */
var NAME_FIELDS = ["title", "aliases", "tags", "type"];
var TEXT_FIELDS = ["summary"];
var TEXT_CHUNK = 500;       /* summaries indexed between two queries */
/* a profile's aliases rank as high as its name; a tag above its type (and the summaries'
 * own index scores 1) */
var BOOST = { title: 4, aliases: 4, tags: 2, type: 1 };
/* MiniSearch's default tokenizer: runs of spaces and punctuation separate words */
var SEPARATOR = /([\n\r\p{Z}\p{P}]+)/u;
/* letters that carry no combining mark to drop, yet are written without it */
var LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i" };

var names = null, texts = null;
var rows = [];
var documents = null;       /* Zensical's documents (SETUP), whose text the ranges point into */
var queries = 0;
var column = {};

/* A term as it is indexed and searched: lower case, Latin, Greek and Cyrillic accents
 * dropped ("Chávez" -> "chavez", "Ёлкин" -> "елкин"); other scripts' marks are kept (a
 * Devanagari vowel sign is a letter, not an accent). */
function fold(term) {
  return term.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]+/g, "").normalize("NFC")
    .replace(/[ßæœøłđðþı]/g, function (c) { return LETTERS[c]; });
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
  });
}

/* `text` escaped, with each word whose folded form was matched inside <mark> */
function highlight(text, matched) {
  return String(text).split(SEPARATOR).map(function (piece, i) {
    var safe = escapeHTML(piece);
    return i % 2 === 0 && piece && matched.has(fold(piece)) ? "<mark>" + safe + "</mark>" : safe;
  }).join("");
}

/* up to SNIPPET characters of `text` around its first matched word, cut at spaces */
function excerpt(text, matched) {
  if (text.length <= SNIPPET) return text;
  var at = 0, pos = 0, pieces = text.split(SEPARATOR);
  for (var i = 0; i < pieces.length; i++) {
    if (i % 2 === 0 && matched.has(fold(pieces[i]))) { at = pos; break; }
    pos += pieces[i].length;
  }
  var start = Math.max(0, at - SNIPPET / 4);
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  var end = Math.min(text.length, start + SNIPPET);
  if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
  return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
}

/* an entry's field as text: a list (aliases, tags) with its items kept apart */
function field(row, name) {
  var value = row[column[name]];
  return Array.isArray(value) ? value.join(" · ") : value;
}

function item(result, queryTerms) {
  var row = rows[result.id];
  var matched = new Set(result.terms);
  var aliases = row[column.aliases], summary = row[column.summary], kind = row[column.type];
  var text = "";
  if (kind !== PAGE_KIND) {
    text = "<p><em>" + escapeHTML(kind) + "</em>" +
      (aliases.length ? " · " + highlight(aliases.join(", "), matched) : "") + "</p>" +
      (summary ? "<p>" + highlight(excerpt(summary, matched), matched) + "</p>" : "");
  }
  var terms = {};
  queryTerms.forEach(function (term) {
    terms[term] = result.queryTerms.indexOf(fold(term)) >= 0;
  });
  return {
    location: row[column.location],
    title: highlight(row[column.title], matched),
    text: text,
    score: result.score,
    terms: terms
  };
}

function isPage(id) { return rows[id][column.type] === PAGE_KIND ? 1 : 0; }

/* a term forgives one edit from four letters on (a typo in "FSB" would find too much) */
function fuzzy(term) { return term.length >= 4 ? 1 : 0; }

/* both indexes' matches, by entry: summed scores, the document and query terms matched */
function matches(query) {
  var found = new Map();
  function add(result) {
    var seen = found.get(result.id);
    if (!seen) found.set(result.id, seen = { id: result.id, score: 0, terms: [], queryTerms: [] });
    seen.score += result.score;
    seen.terms = seen.terms.concat(result.terms);
    seen.queryTerms = seen.queryTerms.concat(result.queryTerms);
  }
  names.search(query, { fuzzy: fuzzy, prefix: true, combineWith: "OR", boost: BOOST }).forEach(add);
  texts.search(query, { prefix: true, combineWith: "OR" }).forEach(add);
  return Array.from(found.values());
}

/* the entries that match `query`, best first, at most RESULTS_MAX */
function ranked(query) {
  var queryTerms = query.split(SEPARATOR).filter(function (t, i) { return i % 2 === 0 && t; });
  var wanted = Array.from(new Set(queryTerms.map(fold).filter(Boolean)));
  if (!wanted.length) return { queryTerms: queryTerms, results: [] };
  var found = matches(query);
  /* entries that have every word, in a name or a summary; if none has, any of them */
  var every = found.filter(function (r) {
    return wanted.every(function (term) { return r.queryTerms.indexOf(term) >= 0; });
  });
  var results = every.length ? every : found;
  results.sort(function (a, b) { return b.score - a.score; });
  /* a navigation page (Network, Timeline...) comes after every profile (a stable sort) */
  results.sort(function (a, b) { return isPage(a.id) - isPage(b.id); });
  return { queryTerms: queryTerms, results: results.slice(0, RESULTS_MAX) };
}

/* Material: whole results, as HTML */
function search(query) {
  var found = ranked(query);
  return { items: found.results.map(function (r) { return [item(r, found.queryTerms)]; }) };
}

/* Zensical's HTML text decoded by its dialog: `&amp;`, `&lt;`, `&gt;` are one character
 * each, never part of a word */
var ZENSICAL_WORD = /((?:&(?:amp|lt|gt);|[\n\r\p{Z}\p{P}])+)/u;

/* the ranges of `html` (a document's escaped title or text) that hold a matched word */
function ranges(html, matched) {
  var found = [], at = 0;
  String(html).split(ZENSICAL_WORD).forEach(function (piece, i) {
    if (i % 2 === 0 && piece && matched.has(fold(piece)))
      found.push({ start: at, end: at + piece.length, value: piece.length });
    at += piece.length;
  });
  return found;
}

function marks(r) {
  var doc = documents[r.id], matched = new Set(r.terms);
  return ["title", "text"].map(function (name) {
    return { field: name, value: { highlight: { ranges: ranges(doc[name] || "", matched) } } };
  });
}

/* Zensical: one page of results, documents by position */
function zensicalPage(query) {
  var input = typeof query.input === "string" ? query.input.trim() : "";
  var page = query.page || { id: ++queries, size: PAGE_SIZE, from: 0 };
  var results = input ? ranked(input).results : [];
  var from = page.from, size = page.size;
  return {
    items: results.slice(from, from + size).map(function (r) {
      return { id: r.id, matches: marks(r) };
    }),
    pagination: {
      total: results.length,
      prev: from - size >= 0 ? { id: page.id, size: size, from: from - size } : undefined,
      next: from + size < results.length ? { id: page.id, size: size, from: from + size } : undefined
    }
  };
}

function scriptBase() {
  /* a real worker knows its own address; in the iframe shim, the worker is the page's
   * first script with a src (as Material's own worker finds it) */
  var src = typeof document !== "undefined"
    ? document.querySelector("script[src]").src : self.location.href;
  return src.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
}

function index(fields) {
  return new MiniSearch({
    idField: "id",
    fields: fields,
    extractField: function (doc, name) { return name === "id" ? doc.id : field(doc.row, name); },
    processTerm: fold
  });
}

/* Names, aliases, tags and types are indexed before the worker says it is ready; the
 * summaries (four fifths of the words) after, TEXT_CHUNK entries at a time, so that a query
 * typed meanwhile is answered between two chunks. Why: at 1,000 entities indexing every
 * field took 0.5-1.3 s on this (shared, two-core) machine before a first result. */
function indexSummaries(docs, from) {
  texts.addAll(docs.slice(from, from + TEXT_CHUNK));
  if (from + TEXT_CHUNK < docs.length) setTimeout(indexSummaries, 0, docs, from + TEXT_CHUNK);
}

async function setup() {
  var base = scriptBase();
  if (typeof window === "undefined") self.window = self;  /* entries set window.dossierSearchIndex */
  await importScripts(base + "minisearch/index.js", base + "../../search/entries.js");
  var data = self.dossierSearchIndex;
  data.columns.forEach(function (name, i) { column[name] = i; });
  rows = data.rows;
  var docs = rows.map(function (row, id) { return { id: id, row: row }; });
  names = index(NAME_FIELDS);
  names.addAll(docs);
  texts = index(TEXT_FIELDS);
  return docs;
}

addEventListener("message", async function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    var items = message.data && message.data.items;
    var docs = await setup();
    if (Array.isArray(items)) {
      /* Zensical's documents are the entries, in order: anything else is another index */
      if (items.length !== rows.length) return postMessage({ type: FAILED });
      documents = items;
    }
    /* a dossier of one chunk (the default one: 114 entries, a few ms) is indexed whole
     * before the worker says it is ready, so its first answer is its whole answer: a query
     * typed at once could reach the worker before the chunk's turn came (it did, from
     * file://, on a busy machine) */
    var indexed = docs.length <= TEXT_CHUNK ? docs.length : 0;
    if (indexed) texts.addAll(docs);
    postMessage({ type: READY });
    if (indexed < docs.length) setTimeout(indexSummaries, 0, docs, indexed);
  } else if (message.type === QUERY) {
    postMessage({ type: RESULT, data: documents
      ? zensicalPage(message.data || {}) : search(String(message.data || "").trim()) });
  }
});
