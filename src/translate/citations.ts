/**
 * Claude's citations → OpenAI annotations (pure).
 *
 * Claude cites per text block: a block's `citations` say which source backs that block's
 * text. OpenAI annotates spans of the final message text. So each cited block becomes one
 * annotation per citation, spanning that block's text in the content the client receives
 * (UTF-16 code units, JavaScript string indices, as OpenAI's own indices).
 *
 * Chat completions know only `url_citation`, and clients (the AI SDK's schema among them)
 * accept nothing else there, so document citations are `url_citation`s too, with a `file:`
 * url and the document's title. Claude's own fields ride along as extra fields inside
 * `url_citation`: `cited_text` always, and for documents the index and location.
 *
 * The Responses API has `url_citation` for the web and `file_citation` {file_id, filename,
 * index} for documents (index: where in the text the citation stands, the span's end).
 * docs/web-search-and-citations.md has the table.
 */

/** The citation objects of Claude's text blocks (reference §1.3); tolerant of fields newer than this code. */
export interface ClaudeCitation {
  type: string;
  cited_text?: string;
  url?: string;
  title?: string | null;
  encrypted_index?: string;
  document_index?: number;
  document_title?: string | null;
  file_id?: string | null;
  start_char_index?: number;
  end_char_index?: number;
  start_page_number?: number;
  end_page_number?: number;
  start_block_index?: number;
  end_block_index?: number;
  search_result_index?: number;
  source?: string;
}

export interface ChatUrlCitation {
  type: "url_citation";
  url_citation: {
    url: string;
    title: string;
    start_index: number;
    end_index: number;
    cited_text?: string;
    document_index?: number;
    location?: Record<string, number>;
  };
}

export type ResponsesAnnotation =
  | { type: "url_citation"; url: string; title: string; start_index: number; end_index: number; cited_text?: string }
  | { type: "file_citation"; file_id: string; filename: string; index: number; cited_text?: string };

const isWeb = (c: ClaudeCitation): boolean => c.type === "web_search_result_location" && typeof c.url === "string" && c.url !== "";
const DOCUMENT_TYPES = new Set(["char_location", "page_location", "content_block_location"]);
const isDocument = (c: ClaudeCitation): boolean => DOCUMENT_TYPES.has(c.type);

function documentName(c: ClaudeCitation): string {
  return c.document_title || `Document ${(c.document_index ?? 0) + 1}`;
}

/** A stable identifier for a cited document: its Files API id, else its position in the request. */
function documentId(c: ClaudeCitation): string {
  return c.file_id || `document-${c.document_index ?? 0}`;
}

function location(c: ClaudeCitation): Record<string, number> | undefined {
  const pairs: Array<[string, number | undefined]> = c.type === "char_location"
    ? [["start_char_index", c.start_char_index], ["end_char_index", c.end_char_index]]
    : c.type === "page_location"
      ? [["start_page_number", c.start_page_number], ["end_page_number", c.end_page_number]]
      : [["start_block_index", c.start_block_index], ["end_block_index", c.end_block_index]];
  const out: Record<string, number> = {};
  for (const [k, v] of pairs) if (typeof v === "number") out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A span's ends moved off the middle of a surrogate pair: an index between the two halves
 * of an emoji would make clients that slice by it print half a character.
 */
export function safeSpan(text: string, start: number, end: number): { start: number; end: number } {
  const inPair = (i: number) => i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));
  return { start: inPair(start) ? start - 1 : start, end: inPair(end) ? end + 1 : end };
}
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Chat completions: one annotation for a citation on the span [start, end). Null for kinds with no mapping. */
export function chatAnnotation(c: ClaudeCitation, start: number, end: number): ChatUrlCitation | null {
  if (isWeb(c)) {
    return { type: "url_citation", url_citation: { url: c.url!, title: c.title || c.url!, start_index: start, end_index: end, ...cited(c) } };
  }
  if (isDocument(c)) {
    const loc = location(c);
    return {
      type: "url_citation",
      url_citation: {
        url: `file:${documentId(c)}`,
        title: documentName(c),
        start_index: start,
        end_index: end,
        ...cited(c),
        ...(typeof c.document_index === "number" ? { document_index: c.document_index } : {}),
        ...(loc ? { location: loc } : {}),
      },
    };
  }
  return null;
}

/** Responses API: `url_citation` for the web, `file_citation` for documents. */
export function responsesAnnotation(c: ClaudeCitation, start: number, end: number): ResponsesAnnotation | null {
  if (isWeb(c)) return { type: "url_citation", url: c.url!, title: c.title || c.url!, start_index: start, end_index: end, ...cited(c) };
  if (isDocument(c)) return { type: "file_citation", file_id: documentId(c), filename: documentName(c), index: end, ...cited(c) };
  return null;
}

function cited(c: ClaudeCitation): { cited_text?: string } {
  return typeof c.cited_text === "string" ? { cited_text: c.cited_text } : {};
}

interface TextBlockLike {
  type: string;
  text?: string;
  citations?: ClaudeCitation[] | null;
}

/**
 * The annotations of a whole (non-streamed) answer. `offset` is where the answer's text
 * starts in the content (after a `<think>` prefix, for instance); only text blocks add
 * to the content, in order.
 */
export function annotateBlocks<T>(
  blocks: readonly TextBlockLike[],
  map: (c: ClaudeCitation, start: number, end: number) => T | null,
  offset = 0,
): T[] {
  const out: T[] = [];
  let text = "";
  for (const b of blocks) {
    if (b.type !== "text") continue;
    const start = text.length;
    text += b.text ?? "";
    for (const c of b.citations ?? []) {
      const span = safeSpan(text, start, text.length);
      const a = map(c, span.start + offset, span.end + offset);
      if (a) out.push(a);
    }
  }
  return out;
}

/**
 * Citations while streaming. Claude sends a cited block's citations_delta events before
 * its text (as recorded), and a span is only known once its block stops, so the stream
 * renderer holds back the newest text piece of a cited block and sends it together with
 * the block's annotations: the chunk that completes the cited text carries them.
 *
 * The renderer tells the tracker about every piece of content it emits (`emitted`), so the
 * indices count exactly what the client has; text pieces are whole strings, never cut.
 */
export class CitationTracker<T> {
  #length = 0;
  readonly #blocks = new Map<number, { start: number; citations: ClaudeCitation[]; cited: boolean; held: string | null }>();

  constructor(private readonly map: (c: ClaudeCitation, start: number, end: number) => T | null) {}

  /** UTF-16 length of the content emitted so far. */
  get length(): number {
    return this.#length;
  }

  /** Content the client received (text, `<think>` tags, a held piece once sent…), in order. */
  emitted(text: string): void {
    this.#length += text.length;
  }

  /** A text block starts; `cited` when it starts with `citations: []` (a cited block, as recorded). */
  blockStart(index: number, cited: boolean): void {
    this.#blocks.set(index, { start: this.#length, citations: [], cited, held: null });
  }

  citation(index: number, c: ClaudeCitation): void {
    const block = this.#blocks.get(index);
    if (!block) return;
    block.cited = true;
    block.citations.push(c);
  }

  /**
   * A text piece: returns what to send now. For a cited block that is the piece held
   * before (or null), and this one is held; other blocks' pieces pass straight through.
   */
  hold(index: number, text: string): string | null {
    const block = this.#blocks.get(index);
    if (!block?.cited) return text;
    const due = block.held;
    block.held = text;
    return due;
  }

  /**
   * The block ends: its held last piece (send it now, with the annotations, then report it
   * with `emitted`) and the annotations of its span. A held piece is a whole upstream delta,
   * so the span never ends inside a surrogate pair.
   */
  blockStop(index: number): { text: string | null; annotations: T[] } {
    const block = this.#blocks.get(index);
    if (!block) return { text: null, annotations: [] };
    this.#blocks.delete(index);
    const end = this.#length + (block.held?.length ?? 0);
    const annotations: T[] = [];
    for (const c of block.citations) {
      const a = this.map(c, block.start, end);
      if (a) annotations.push(a);
    }
    return { text: block.held, annotations };
  }
}

/**
 * A chat annotation (as this gateway writes them) in the Responses API's shape: a `file:`
 * url is a document citation. Lets the Responses renderer reuse the chat decisions.
 */
export function responsesFromChat(a: ChatUrlCitation): ResponsesAnnotation {
  const u = a.url_citation;
  const cited = u.cited_text !== undefined ? { cited_text: u.cited_text } : {};
  if (u.url.startsWith("file:")) return { type: "file_citation", file_id: u.url.slice(5), filename: u.title, index: u.end_index, ...cited };
  return { type: "url_citation", url: u.url, title: u.title, start_index: u.start_index, end_index: u.end_index, ...cited };
}
